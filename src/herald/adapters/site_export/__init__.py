"""The static export: the whole public site as files a plain file server or CDN serves.

The web app is crawled in-process (straight ASGI calls, no network) from its entry points
over every same-site link found in HTML, XML, JSON and text bodies. Each response is
written where a file server maps its URL back:

- ``/`` → ``index.html``; ``/bulletins/CTX696397`` → ``bulletins/CTX696397/index.html``;
- a path whose last part has a known suffix (``.json``, ``.txt``, ``.md``, ``.xml``,
  ``.atom``, ``.rss``, ``.css``...) is written as it is;
- any other path is a folder holding ``index.<ext>`` for its media type, e.g.
  ``/api/v1/bulletins`` → ``api/v1/bulletins/index.json`` (the server must try
  ``index.json`` as well as ``index.html``);
- a same-site redirect (``/cve/...`` naming one bulletin) becomes a small HTML page
  that refreshes to its target.

URLs with a query string (search, filters, API cursors) cannot be files and are not
exported; the site's own page links never need one. Every file is written, as soon as
it is fetched, into a fresh folder beside the destination, which replaces it once
complete, so a half-written export is never served and memory holds only the pages in
flight. ``docs/site.md`` describes how to serve it.

``export.py`` runs an export (``export_site``) and reports it; ``crawl.py`` crawls the
app, a window of bulletins at a time, through ``herald.adapters.site_export_asgi``;
``links.py`` finds the links in a body; ``files.py`` says where each URL is written,
writes it, and swaps the finished folder in.
"""
