"""The ciwhy command line."""
