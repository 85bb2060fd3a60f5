"""The web adapter, served in-process and by a real server."""
