"""Choosing a language: the switcher, the browser's preference, the cookie;
Persian pages run right to left; the console stays in English."""

from __future__ import annotations

import re

import pytest


def html_tag(response) -> str:
    return re.search(r"<html[^>]*>", response.get_data(as_text=True)).group(0)


@pytest.mark.parametrize(("header", "expected"), [
    ("fa-IR,fa;q=0.9,en;q=0.5", '<html lang="fa" dir="rtl">'),
    ("es-MX,es;q=0.9", '<html lang="es" dir="ltr">'),
    ("de-DE,de;q=0.9", '<html lang="en" dir="ltr">'),
    ("", '<html lang="en" dir="ltr">'),
])
def test_the_browser_preference_chooses_the_language(client, header, expected):
    response = client.get("/", headers={"Accept-Language": header})
    assert response.status_code == 200
    assert html_tag(response) == expected
    assert {"Accept-Language", "Cookie"} <= set(response.vary)


def test_the_switcher_is_a_plain_link_remembered_in_a_cookie(client):
    page = client.get("/volunteer").get_data(as_text=True)
    assert 'href="/language/fa?next=/volunteer" lang="fa" hreflang="fa"' in page
    response = client.get("/language/fa?next=/volunteer")
    assert response.status_code == 303 and response.headers["Location"] == "/volunteer"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("language=fa;") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    # the choice wins over the browser's preference
    assert html_tag(client.get("/", headers={"Accept-Language": "es"})) == (
        '<html lang="fa" dir="rtl">')
    assert 'lang="fa" hreflang="fa" aria-current="true"' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("target", [
    "//evil.example/", "https://evil.example/", "/\\evil.example", "/\t/evil.example",
    "/\n/evil.example", "/\r\n/evil.example", "/ /evil.example", "/\x00/evil.example",
    "javascript:alert(1)", "//%2Fevil.example"])
def test_the_switcher_never_sends_people_elsewhere(client, target):
    response = client.get("/language/es", query_string={"next": target})
    assert response.headers["Location"] == "/"


def test_an_unknown_language_changes_nothing(client):
    response = client.get("/language/xx?next=/volunteer")
    assert response.status_code == 303 and "Set-Cookie" not in response.headers
    assert html_tag(client.get("/")) == '<html lang="en" dir="ltr">'


def test_the_console_stays_in_english_without_a_switcher(client):
    client.get("/language/fa")
    page = client.get("/console/login")
    assert html_tag(page) == '<html lang="en" dir="ltr">'
    assert "/language/" not in page.get_data(as_text=True)
