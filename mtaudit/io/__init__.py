"""Reading inputs (files, directories, JSONL, HTML, WARC, standard input) into items to audit."""
