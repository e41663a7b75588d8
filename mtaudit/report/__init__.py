"""Reports of scorecards: text, JSON, JSONL, HTML, CI formats. They read the Scorecard only."""
