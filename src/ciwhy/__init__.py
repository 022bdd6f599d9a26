"""ciwhy: why did CI fail? The root cause of a failed CI log, offline, in milliseconds."""

__version__ = "0.1.0"
