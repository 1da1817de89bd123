"""The appeal page: its text, share links without third-party code, link
previews with an image we serve, and valid HTML."""

from __future__ import annotations

import re
import struct
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.appeal.conftest import link_in
from tests.test_html_validity import assert_valid_html, vnu  # noqa: F401 (fixture)
from volunteer_hub.appeal import text

PAGE_URL = "https://hub.example.org/appeal"


class Tags(HTMLParser):
    """Every start tag of a page, with its attributes."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    def all(self, tag: str) -> list[dict[str, str]]:
        return [attrs for name, attrs in self.tags if name == tag]


def meta(tags: Tags) -> dict[str, str]:
    return {attrs.get("property") or attrs.get("name"): attrs["content"]
            for attrs in tags.all("meta") if "content" in attrs}


def test_the_page_shows_the_appeal_and_is_in_the_menu(client):
    response = client.get("/appeal")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    assert "<h1 id=\"appeal-title\">The International Emergency Appeal to Free Iran&#39;s " \
           "Political Prisoners</h1>" in html
    assert "<strong>Free all of Iran's political prisoners" in html
    assert "Stop the executions" in html and "No U.S. war or aggression against Iran" in html
    assert '<a href="/appeal" aria-current="page">The appeal</a>' in html
    assert '<a href="/appeal">The appeal</a>' in client.get("/").get_data(as_text=True)


def test_link_previews_name_the_page_and_an_image_we_serve(client):
    tags = meta(Tags(client.get("/appeal").get_data(as_text=True)))
    assert tags["og:title"] == tags["twitter:title"] == text.TITLE
    assert tags["og:description"] == tags["twitter:description"] == text.SUMMARY
    assert tags["og:url"] == PAGE_URL
    assert tags["twitter:card"] == "summary_large_image"
    image_url = tags["og:image"]
    assert image_url == tags["twitter:image"]
    assert image_url.startswith("https://hub.example.org/static/")

    image = client.get(urlsplit(image_url).path)
    assert image.status_code == 200 and image.mimetype == "image/png"
    png = image.get_data()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (int(tags["og:image:width"]), int(tags["og:image:height"]))
    assert (width, height) == (1200, 630)
    image.close()


def test_share_links_are_plain_links_and_the_address_can_be_copied(client):
    html = client.get("/appeal").get_data(as_text=True)
    tags = Tags(html)
    assert not tags.all("script") and not tags.all("iframe") and not tags.all("embed")
    links = {attrs["href"] for attrs in tags.all("a")}
    shares = {urlsplit(href).netloc or urlsplit(href).scheme: href for href in links
              if href.startswith(("mailto:", "https://"))}
    assert set(shares) == {"mailto", "twitter.com", "www.facebook.com", "wa.me", "t.me"}
    for href in shares.values():
        query = parse_qs(urlsplit(href).query)
        assert any(PAGE_URL in value for values in query.values() for value in values), href
    assert parse_qs(urlsplit(shares["twitter.com"]).query)["text"] == [text.TITLE]
    email = parse_qs(urlsplit(shares["mailto"]).query)
    assert email["subject"] == [text.TITLE] and email["body"] == [f"{text.TITLE}\r\n\r\n{PAGE_URL}"]
    assert "%20" in shares["mailto"] and "+" not in shares["mailto"]  # mail programs want %20

    [copy] = [attrs for attrs in tags.all("input") if attrs.get("id") == "share-url"]
    assert copy["value"] == PAGE_URL and "readonly" in copy
    assert '<label for="share-url">' in html


def test_the_share_links_use_the_public_address_not_the_request_host(client):
    html = client.get("/appeal", headers={"Host": "evil.example"}).get_data(as_text=True)
    assert "evil.example" not in html


def _pages(client, coordinator, make_endorsement, endorsement_form, outbox
           ) -> dict[str, str]:
    pages: dict[str, str] = {}

    def keep(name, response, status=200):
        assert response.status_code == status, (name, response.status_code)
        pages[name] = response.get_data(as_text=True)

    keep("appeal-empty", client.get("/appeal"))
    make_endorsement(name="شیرین", city="تهران", affiliation="<b>union</b>")
    make_endorsement(name="Anonymous", show_name=False)
    keep("appeal", client.get("/appeal"))
    keep("appeal-errors", client.post("/appeal", data=endorsement_form(
        name="", email="nope", website="spam")), 422)
    client.post("/appeal", data=endorsement_form(email="new@example.org"))
    keep("appeal-thanks", client.get("/appeal?thanks=1"))
    path = link_in(outbox()[-1])
    keep("manage-unconfirmed", client.get(path))
    keep("manage-errors", client.post(path, data={"name": ""}), 422)
    client.post(path, data={"name": "Shirin", "show_name": "y"})
    keep("manage-confirmed", client.get(path))
    keep("console", coordinator.get("/console/appeal"))
    keep("console-empty", coordinator.get("/console/appeal?q=nobody"))
    return pages


@pytest.mark.slow
def test_appeal_pages_are_valid_html(vnu, client, coordinator, make_endorsement,  # noqa: F811
                                     endorsement_form, outbox, tmp_path):
    pages = _pages(client, coordinator, make_endorsement, endorsement_form, outbox)
    assert_valid_html(vnu, pages, tmp_path / "pages")


def test_no_page_names_those_who_did_not_agree_or_shows_any_address(
    client, make_endorsement, endorsement_form, outbox
):
    make_endorsement(name="Private Person", email="private@example.org", city="Isfahan",
                     affiliation="Quiet Union", show_name=False)
    make_endorsement(name="Public Person", email="public@example.org")
    make_endorsement(name="Unconfirmed Person", email="unconfirmed@example.org",
                     confirmed=False)
    client.post("/appeal", data=endorsement_form(email="private@example.org", name="Again"))
    pages = "".join(client.get(url).get_data(as_text=True) for url in (
        "/appeal", "/appeal?thanks=1", "/appeal?page=2", "/", "/volunteer", "/find"))
    assert "Public Person" in pages
    for private in ("Private Person", "Isfahan", "Quiet Union", "Unconfirmed Person", "Again"):
        assert private not in pages
    assert not re.search(r"[\w.]+@example\.org", pages)
    # Each email speaks of its own endorser and nobody else.
    names = {"private": "Private Person", "public": "Public Person",
             "unconfirmed": "Unconfirmed Person"}
    messages = outbox()
    assert len(messages) == 3  # "Again" came too soon after the first email
    for message in messages:
        own = message["To"].addresses[0].username
        body = message.get_body(("plain",)).get_content() + message.get_body(("html",)
                                                                             ).get_content()
        assert names[own] in body
        assert not any(name in body for user, name in names.items() if user != own)
        assert not re.search(r"[\w.]+@example\.org", body)
