"""Generic rule engines: rules are rows in data files, run by a few engines."""
