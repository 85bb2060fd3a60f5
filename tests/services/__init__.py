"""Use cases against real databases."""
