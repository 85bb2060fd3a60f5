"""Every HTML page carries its Content-Security-Policy inside it (finding 13.4).

On the live site the header says it; a static copy on a plain file server sends no
header, so each page also has ``<meta http-equiv="Content-Security-Policy">`` with the
same policy: no script from elsewhere, no inline script, no plugin.
"""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from herald.adapters.csaf_distribution.listing import LISTING_POLICY
from herald.adapters.site_export.files import REDIRECT_POLICY
from herald.adapters.web.middleware import CONTENT_SECURITY_POLICY
from herald.bootstrap import Herald

from .test_site_support import export

META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')


def _policy_of(html: str) -> str:
    found: list[str] = META.findall(html)
    assert len(found) == 1, "one policy per page, in the head"
    return found[0].replace("&#39;", "'")


def test_live_pages_carry_the_policy_of_their_header(client: TestClient) -> None:
    for path in ("/", "/bulletins/CTX696397", "/products/xenserver", "/staff/sign-in"):
        response = client.get(path)
        meta = _policy_of(response.text)
        assert meta == CONTENT_SECURITY_POLICY
        assert response.headers["content-security-policy"].startswith(meta), path
        assert "script-src 'self'" in meta and "object-src 'none'" in meta


def test_every_exported_page_carries_the_policy(herald: Herald, tmp_path: Path) -> None:
    destination = tmp_path / "public"
    export(herald, destination)
    pages = list(destination.rglob("*.html"))
    assert len(pages) > 5
    for page in pages:
        html = page.read_text(encoding="utf-8")
        head = html.split("</head>", 1)[0]
        if 'http-equiv="refresh"' in html:
            wanted = REDIRECT_POLICY
        elif ".well-known/csaf" in page.as_posix():
            wanted = LISTING_POLICY
        else:
            wanted = CONTENT_SECURITY_POLICY
        assert _policy_of(head) == wanted, page
