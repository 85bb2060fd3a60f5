"""URL fields hold web addresses only (finding 13.4)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from herald import demo
from herald.domain.catalog import Product
from herald.domain.catalog_editing import new_product
from herald.domain.errors import ValidationError
from herald.domain.ids import ProductId
from herald.domain.urls import UrlPolicy, checked_web_url, is_web_url

NOT_WEB = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "//evil.example/x",
    "https://",
    "https:///path",
    "https:evil.example",
    "https://exa mple.com/",
    "https://example.com/\u202egnp.exe",
    "https://example.com/\x1b[31m",
    "ftp://example.com/",
    "https://" + "a" * 2000 + ".example",
]


@pytest.mark.parametrize("url", NOT_WEB)
def test_anything_but_a_web_address_is_refused(url: str) -> None:
    assert not is_web_url(url)
    with pytest.raises(ValidationError) as raised:
        checked_web_url(url, "support_url")
    assert raised.value.field == "support_url"


@pytest.mark.parametrize("url", NOT_WEB)
def test_no_product_can_hold_one(url: str) -> None:
    with pytest.raises(ValidationError):
        Product(ProductId("p"), "P", update_instructions_url=url)
    if url.strip():
        with pytest.raises(ValidationError):
            new_product(ProductId("p"), "P", url)


@pytest.mark.parametrize("url", NOT_WEB[:6])
def test_no_publisher_can_hold_one(url: str) -> None:
    from dataclasses import replace

    with pytest.raises(ValidationError) as raised:
        replace(demo.publisher(), reporting_url=url)
    assert raised.value.field == "reporting_url"


@pytest.mark.parametrize(
    "url",
    ["https://docs.example.com/update", "https://example.com", "https://[::1]:8443/x?y=1#z"],
)
def test_https_addresses_pass(url: str) -> None:
    assert checked_web_url(f"  {url} ", "u") == url
    UrlPolicy().check(url, "u")


def test_http_only_where_the_policy_allows_it() -> None:
    assert is_web_url("http://intranet.example/")
    with pytest.raises(ValidationError, match="https://"):
        UrlPolicy().check("http://intranet.example/", "update_instructions_url")
    UrlPolicy(allow_http=True).check("http://intranet.example/", "update_instructions_url")


@given(st.text(max_size=60))
def test_a_checked_url_is_always_an_https_or_http_link(text: str) -> None:
    try:
        url = checked_web_url(text, "u")
    except ValidationError:
        return
    assert url.lower().startswith(("https://", "http://"))
    assert url.isprintable() and not any(c.isspace() for c in url)
