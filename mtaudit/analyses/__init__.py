"""Shared analyses of a document, computed once and read by the checks."""
