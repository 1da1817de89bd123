"""A crawl of the whole site, as a visitor, as someone holding the links the
site emails, and as a signed-in admin. Every response must carry the
security headers, and no page may load anything from another host: a
stylesheet, font, script or image fetched from elsewhere would tell that
host who reads our pages."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.exceptions import MethodNotAllowed, NotFound

from tests.conftest import PASSWORD, sign_in
from tests.helpers import rsvp_form, signup_form
from volunteer_hub.coordinators import two_factor
from volunteer_hub.coordinators.models import Coordinator
from volunteer_hub.demo.seed import seed_demo
from volunteer_hub.events.models import Event
from volunteer_hub.extensions import db
from volunteer_hub.security import CONTENT_SECURITY_POLICY
from volunteer_hub.spam import started_stamp
from volunteer_hub.volunteers.models import Task

#: GET routes the crawl cannot reach by following links, and why.
UNREACHABLE = {
    "broadcasts.progress": "only exists once a message is sent to a segment",
}
if shutil.which("pdftoppm") is None:
    UNREACHABLE |= dict.fromkeys(["materials.preview", "materials_console.console_preview"],
                                 "previews are drawn by pdftoppm (poppler-utils)")

LINK = re.compile(r"https?://[^\s\"'<>]+")
#: Content-Security-Policy directives our pages rely on.
REQUIRED_CSP = ("default-src 'self'", "frame-ancestors 'none'", "form-action 'self'")
FILE_CSP = ("default-src 'none'", "frame-ancestors 'none'", "sandbox")


class Page(HTMLParser):
    """The URLs a page refers to, by what the browser does with them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.loaded: list[str] = []  # fetched by the browser on its own
        self.links: list[str] = []  # followed when clicked
        self.inline: list[str] = []  # what CSP would block

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name in values:
            if name == "style" or name.startswith("on"):
                self.inline.append(f"<{tag} {name}=...>")
        if tag == "style" or (tag == "script" and "src" not in values):
            self.inline.append(f"<{tag}> without src")
        if "src" in values:
            self.loaded.append(values["src"])
        if "srcset" in values:
            self.loaded.extend(part.split()[0] for part in values["srcset"].split(",") if part)
        if tag == "link" and "href" in values:
            self.loaded.append(values["href"])
        if tag == "meta" and values.get("property", "").startswith("og:image"):
            self.loaded.append(values.get("content", ""))
        if tag == "a" and "href" in values:
            self.links.append(values["href"])
        if tag == "form":
            self.loaded.append(values.get("action", ""))


def assert_security_headers(response, url: str) -> None:
    headers = response.headers
    policy = headers.get("Content-Security-Policy", "")
    # pages: only our own files; uploaded files: nothing at all
    required = REQUIRED_CSP if "default-src 'self'" in policy else FILE_CSP
    for directive in required:
        assert directive in policy, (url, policy)
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, (url, policy)
    assert headers.get("Referrer-Policy") == "no-referrer", url
    assert headers.get("X-Content-Type-Options") == "nosniff", url
    assert "camera=()" in headers.get("Permissions-Policy", ""), url
    for cookie in headers.getlist("Set-Cookie"):
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie, (url, cookie)


class Crawl:
    """Breadth-first over our own URLs, one client per role."""

    def __init__(self, app: Flask, own_hosts: set[str]) -> None:
        self.app = app
        self.own_hosts = own_hosts
        self.adapter = app.url_map.bind("localhost")
        self.visited: set[str] = set()
        self.endpoints: set[str] = set()
        self.foreign: list[tuple[str, str]] = []
        self.inline: list[tuple[str, str]] = []

    def own_path(self, url: str, base: str) -> str | None:
        parts = urlsplit(urljoin(base, url))
        if parts.scheme not in ("http", "https", ""):
            return None
        if parts.netloc and parts.netloc not in self.own_hosts:
            return None
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def check_loaded(self, url: str, base: str) -> None:
        parts = urlsplit(urljoin(base, url))
        if parts.scheme == "data":
            return
        if parts.netloc and parts.netloc not in self.own_hosts:
            self.foreign.append((base, url))

    def run(self, client: FlaskClient, start: Iterable[str], limit: int = 400) -> None:
        queue = list(start)
        while queue and len(self.visited) < limit:
            path = queue.pop(0)
            key = f"{id(client)} {path}"
            if key in self.visited:
                continue
            self.visited.add(key)
            response = client.get(path)
            body = response.get_data(as_text=True) if response.mimetype.startswith("text/") else ""
            response.close()
            assert response.status_code < 500, (path, response.status_code)
            assert_security_headers(response, path)
            try:
                endpoint, _ = self.adapter.match(urlsplit(path).path, method="GET")
                self.endpoints.add(endpoint)
            except (NotFound, MethodNotAllowed):
                pass
            content_type = response.mimetype
            if content_type == "text/css":
                for match in re.finditer(r"url\(\s*['\"]?([^'\")]+)|@import\s+['\"]([^'\"]+)",
                                         body):
                    self.check_loaded(match.group(1) or match.group(2), path)
            if content_type != "text/html":
                continue
            page = Page()
            page.feed(body)
            self.inline.extend((path, what) for what in page.inline)
            for url in page.loaded:
                self.check_loaded(url, path)
            for url in page.loaded + page.links:
                own = self.own_path(url, path)
                if own is not None and own.startswith(("/", "?")):
                    queue.append(own)


def emailed_paths(app: Flask) -> list[str]:
    """Every link to our site in every email sent so far."""
    from email import message_from_string, policy

    import sqlalchemy as sa

    from volunteer_hub.mail.models import OutboxMessage

    base = app.config["BASE_URL"]
    paths = []
    with app.app_context():
        for mime in db.session.scalars(sa.select(OutboxMessage.mime)):
            message = message_from_string(mime, policy=policy.default)
            text = message.get_body(("plain",)).get_content()
            paths += [url.removeprefix(base).rstrip(".,)") for url in LINK.findall(text)
                      if url.startswith(base)]
    return paths


def fill_site(app: Flask, visitor: FlaskClient) -> list[str]:
    """The demo data, and one of everything a visitor can leave behind;
    returns where each form sent the visitor on."""
    with app.app_context():
        seed_demo()
        db.session.commit()
        event = db.session.scalars(db.select(Event).where(Event.venues.any())).first()
        venue = event.venues[0]
        slug, venue_id = event.slug, venue.id
        task_ids = [db.session.scalars(db.select(Task.id)).first()]
    with app.test_request_context():
        stamp = started_stamp()
    posts = [
        (f"/events/{slug}/rsvp", rsvp_form(str(venue_id))),
        ("/volunteer", signup_form(task_ids)),
        ("/find", {"email": "shirin@example.org", "started": stamp}),
        ("/appeal", {"name": "Shirin", "email": "endorser@example.org", "show_name": "y",
                     "started": stamp}),
        ("/contact", {"name": "Shirin", "email": "shirin@example.org", "topic": "QUESTION",
                      "body": "Can I help?", "started": stamp}),
        (f"/events/{slug}/comments", {"comment-name": "Shirin", "comment-body": "Hello",
                                      "comment-started": stamp}),
    ]
    redirects = []
    for path, data in posts:
        response = visitor.post(path, data=data)
        assert response.status_code == 303, (path, response.status_code)
        redirects.append(response.headers["Location"])
    # "Send me a new link" on the RSVP and sign-up pages: the new links are emailed.
    for manage in redirects[:2]:
        response = visitor.post(f"{manage}/new-link")
        assert response.status_code == 303, (manage, response.status_code)
        redirects.append(response.headers["Location"])
    return redirects


@pytest.fixture
def crawled(app: Flask, make_coordinator) -> Crawl:
    visitor = app.test_client()
    redirects = fill_site(app, visitor)
    crawl = Crawl(app, own_hosts={"localhost", urlsplit(app.config["BASE_URL"]).netloc})

    crawl.run(app.test_client(), ["/", "/volunteer", "/materials", "/appeal", "/find",
                                  "/contact", "/calendar.ics", "/console/login",
                                  "/no-such-page"])
    crawl.run(visitor, redirects + emailed_paths(app))

    colleague = make_coordinator("colleague@example.org")
    make_coordinator("admin@example.org", admin=True)
    # the emailed password-reset link, and the code step of two-factor sign-in
    visitor.post("/console/forgot-password", data={"email": "colleague@example.org"})
    crawl.run(visitor, emailed_paths(app))
    with app.app_context():
        account = db.session.get(Coordinator, colleague)
        secret = two_factor.start_enrolment(account)
        two_factor.confirm_enrolment(account, pyotp.TOTP(secret).now())
        db.session.commit()
    halfway = app.test_client()
    assert sign_in(halfway, "colleague@example.org", PASSWORD).status_code == 303
    crawl.run(halfway, ["/console/login/code"])
    admin = app.test_client()
    assert sign_in(admin, "admin@example.org", PASSWORD).status_code == 303
    crawl.run(admin, ["/console/"], limit=len(crawl.visited) + 400)
    return crawl


def test_the_crawl_reaches_every_page_and_each_loads_only_our_own_files(app, crawled):
    """One crawl for both checks: it is the slowest fixture of the suite."""
    assert crawled.foreign == []
    assert crawled.inline == []
    gets = {rule.endpoint for rule in app.url_map.iter_rules()
            if "GET" in rule.methods and rule.endpoint != "static"}
    missed = gets - crawled.endpoints - set(UNREACHABLE)
    assert not missed, sorted(missed)
    assert "static" in crawled.endpoints


def test_cookies_are_secure_and_hsts_is_sent_over_https(app, make_coordinator):
    make_coordinator("admin@example.org", admin=True)
    app.config["SESSION_COOKIE_SECURE"] = True
    client = app.test_client()
    response = client.post("/console/login", base_url="https://hub.example.org",
                           data={"email": "admin@example.org", "password": PASSWORD})
    assert response.status_code == 303
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    plain = app.test_client().get("/")
    assert "Strict-Transport-Security" not in plain.headers


def test_the_policy_sent_is_the_documented_one(client):
    response = client.get("/")
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
