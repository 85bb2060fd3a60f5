"""Route modules: site (HTML), api (JSON), feeds, staff."""
