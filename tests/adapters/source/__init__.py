"""Tests of the YAML source format."""
