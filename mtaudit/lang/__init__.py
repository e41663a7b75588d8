"""Which language a text or a word is in: language identification, word frequencies, englishness."""
