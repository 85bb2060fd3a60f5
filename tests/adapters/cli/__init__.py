"""The herald command line, run as a user runs it."""
