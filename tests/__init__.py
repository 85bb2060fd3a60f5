"""herald test suite."""
