"""The core types every room shares: the Document, Findings, the Scorecard, configuration and options, resources, caches, messages."""
