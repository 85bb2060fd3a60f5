"""Adapters: storage, formats, delivery, web and CLI, around herald's services."""
