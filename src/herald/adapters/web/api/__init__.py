"""The JSON API under ``/api/v1``: routers and response models per resource."""
