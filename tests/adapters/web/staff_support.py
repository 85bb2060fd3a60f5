"""Helpers for the staff web tests: signing in, posting forms with the CSRF token,
and the form fields of a complete bulletin."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import httpx2 as httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.adapters.web.conftest import PASSWORD

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')

Form = dict[str, str | list[str]]


def token_of(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = _TOKEN.search(html)
    assert match is not None, "no CSRF field on the page"
    return match.group(1)


@dataclass
class StaffClient:
    """A browser of one staff member: its own cookies, and the session's CSRF token."""

    client: TestClient
    token: str

    def get(self, path: str) -> httpx.Response:
        response: httpx.Response = self.client.get(path)
        return response

    def post(self, path: str, data: Mapping[str, str | list[str]] | None = None) -> httpx.Response:
        response: httpx.Response = self.client.post(
            path, data={"csrf_token": self.token, **(data or {})}
        )
        return response


def new_client(app: FastAPI) -> TestClient:
    return TestClient(app, base_url="https://testserver", follow_redirects=False)


def sign_in_form(client: TestClient, username: str, password: str = PASSWORD) -> httpx.Response:
    """Fetch the sign-in form and post it."""
    token = token_of(client.get("/staff/sign-in").text)
    response: httpx.Response = client.post(
        "/staff/sign-in", data={"username": username, "password": password, "csrf_token": token}
    )
    return response


def signed_in(app: FastAPI, username: str) -> StaffClient:
    """A new browser with ``username`` signed in."""
    client = new_client(app)
    response = sign_in_form(client, username)
    assert response.status_code == 303, response.text
    return StaffClient(client, token_of(client.get("/staff/").text))


def version(product: str, name: str) -> str:
    return json.dumps([product, name])


def channel(product: str, version_name: str, name: str) -> str:
    return json.dumps([product, version_name, name])


def bulletin_form(**changes: str | list[str]) -> Form:
    """A complete, publishable bulletin about XenServer 8.4 (the demo catalog)."""
    form: Form = {
        "action": "save",
        "title": "XenServer Security Update for CVE-2026-5001",
        "severity": "High",
        "cves": "CVE-2026-5001",
        "cvss": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "problem": "A flaw in **XenServer 8.4** lets a guest read host memory.",
        "affected": [version("xenserver", "8.4")],
        "fix-0-channel": channel("xenserver", "8.4", "Early Access"),
        "fix-0-release": "8.4.2026-03-19",
        "fix-0-mitigation": "",
        "fix-1-channel": channel("xenserver", "8.4", "Normal"),
        "fix-1-release": "8.4.2026-03-24",
        "fix-1-mitigation": "",
    }
    form.update(changes)
    return form


def new_id(response: httpx.Response) -> str:
    """The article id a create redirected to."""
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert location.startswith("/staff/bulletins/")
    return location.rsplit("/", 1)[1]


def local_input(moment: datetime) -> str:
    """A ``datetime-local`` value (read as UTC by the form)."""
    return moment.strftime("%Y-%m-%dT%H:%M")
