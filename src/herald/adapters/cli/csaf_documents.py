"""herald csaf commands (csaf_documents), to be written."""
