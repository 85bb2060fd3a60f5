"""herald csaf commands (csaf_validate), to be written."""
