"""Every list page runs as many SQL statements for 30 items as for 3: what a
page lists is loaded in a fixed number of queries, never one per row (N+1)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from tests.conftest import (
    PASSWORD,
    SATURDAY_3PM_NEW_YORK,
    _dispose,
    empty_database,
    fresh_app,
    sign_in,
)
from tests.helpers import counting_queries
from volunteer_hub.appeal.models import Endorsement
from volunteer_hub.comments.models import Comment, CommentState
from volunteer_hub.contact.models import ContactMessage, ContactReply, Topic
from volunteer_hub.coordinators.models import AuditEntry, Coordinator
from volunteer_hub.coordinators.services import create_coordinator
from volunteer_hub.database import utcnow
from volunteer_hub.events.models import Event, EventStatus, EventTranslation, Venue
from volunteer_hub.extensions import db
from volunteer_hub.lookup.models import LookupLink
from volunteer_hub.materials.models import Material
from volunteer_hub.rsvps.models import Rsvp, RsvpStatus
from volunteer_hub.tokens import new_nonce, token_hash
from volunteer_hub.volunteers.models import Assignment, AssignmentStatus, HelpOffer, Signup, Task

SMALL, LARGE = 3, 30
#: (page, language) -> statements for SMALL items, and for LARGE
Counts = dict[tuple[str, str], tuple[int, int]]
LOOKUP_EMAIL = "searcher@example.org"


@dataclass
class World:
    """The items every page is about, and a counter for unique values."""

    event_id: int
    slug: str
    task_id: int
    lookup_token: str
    made: int = 0

    def unique(self) -> int:
        self.made += 1
        return self.made


def _event(world: World | None, number: int, venues: int = 1) -> Event:
    slug = f"event-{number}" if world else "main-event"
    event = Event(slug=slug, title=f"Event {number}", description="An *afternoon*.",
                  timezone="America/New_York", starts_at=SATURDAY_3PM_NEW_YORK,
                  ends_at=SATURDAY_3PM_NEW_YORK + timedelta(hours=3), online=True,
                  stream_url="https://stream.example.org/live", guest_limit=3,
                  status=EventStatus.PUBLISHED)
    event.venues = [_venue(number, position) for position in range(venues)]
    event.translations = [EventTranslation(language="fa", title=f"رویداد {number}",
                                           description="یک *بعدازظهر*.")]
    return event


def _venue(number: int, position: int) -> Venue:
    return Venue(position=position, name=f"Venue {number}.{position}",
                 address="437 Malcolm X Blvd, New York", timezone="America/New_York",
                 capacity=500, accessibility="Step-free entrance.")


def _rsvp(world: World, event: Event, venue: Venue | None, email: str | None = None,
          **values) -> Rsvp:
    number = world.unique()
    email = email or f"person{number}@example.org"
    waitlisted = values.get("status") is RsvpStatus.WAITLISTED
    return Rsvp(event=event, venue=venue, name=f"Person {number}", email=email,
                email_key=email.casefold(), guests=number % 3, token_nonce=new_nonce(),
                token_hash=secrets.token_hex(32), ical_uid=f"rsvp-{number}@test",
                waitlisted_at=utcnow() if waitlisted else None,
                access_needs="Wheelchair" if number % 2 else "", **values)


def _signup(world: World, tasks: list[Task], email: str | None = None) -> Signup:
    number = world.unique()
    email = email or f"volunteer{number}@example.org"
    signup = Signup(name=f"Volunteer {number}", email=email, email_key=email.casefold(),
                    token_nonce=new_nonce(), token_hash=secrets.token_hex(32))
    signup.assignments = [
        Assignment(task=task, status=AssignmentStatus.CONFIRMED,
                   ical_uid=f"assignment-{number}-{index}@test")
        for index, task in enumerate(tasks)
    ]
    return signup


def _task(world: World, event: Event | None, venue: Venue | None) -> Task:
    return Task(title=f"Task {world.unique()}", description="Help out.", location="From home",
                timezone="America/New_York", min_volunteers=2, max_volunteers=100,
                event=event, venue=venue)


def create_world(app: Flask) -> World:
    with app.app_context():
        event = _event(None, 0, venues=1)
        task = Task(title="Main task", description="Help out.", location="From home",
                    timezone="America/New_York", min_volunteers=2, max_volunteers=None)
        token = secrets.token_urlsafe(32)
        db.session.add_all([event, task, LookupLink(
            email_key=LOOKUP_EMAIL, token_hash=token_hash(token), created_at=utcnow(),
            expires_at=utcnow() + timedelta(hours=1))])
        db.session.commit()
        return World(event_id=event.id, slug=event.slug, task_id=task.id, lookup_token=token)


def grow(app: Flask, world: World, count: int) -> None:
    """Add ``count`` more of everything a list page shows."""
    with app.app_context():
        main = db.session.get(Event, world.event_id)
        main_task = db.session.get(Task, world.task_id)
        for _ in range(count):
            number = world.unique()
            venue = _venue(number, len(main.venues))
            main.venues.append(venue)
            event = _event(world, number)
            task = _task(world, main, venue)
            other_task = _task(world, event, event.venues[0])
            loose_task = _task(world, None, None)
            db.session.add_all([
                event, task, other_task, loose_task,
                _rsvp(world, main, main.venues[0], checked_in_at=utcnow() if number % 2 else None),
                _rsvp(world, main, venue),
                _rsvp(world, main, None, status=RsvpStatus.WAITLISTED),
                _rsvp(world, event, event.venues[0]),
                _rsvp(world, event, event.venues[0], email=LOOKUP_EMAIL),
                _signup(world, [main_task, task, other_task]),
                _signup(world, [loose_task], email=LOOKUP_EMAIL),
                Comment(event=main, name=f"Commenter {number}", body="See https://example.org",
                        state=CommentState.APPROVED, moderated_at=utcnow(), moderated_by="Admin"),
                Comment(event=event, name=f"Asker {number}", body="When?"),
                ContactMessage(name=f"Writer {number}", email=f"writer{number}@example.org",
                               topic=Topic.QUESTION, body="A question.",
                               replies=[ContactReply(coordinator_name="Admin", body="An answer.")]),
                Endorsement(name=f"Endorser {number}", city="Tehran", affiliation="Union",
                            email=f"endorser{number}@example.org",
                            email_key=f"endorser{number}@example.org", show_name=True,
                            confirmed_at=utcnow(), token_nonce=new_nonce(),
                            token_hash=secrets.token_hex(32)),
                Material(title=f"Poster {number}", filename=secrets.token_hex(16) + ".pdf",
                         content_type="application/pdf", size_bytes=1000 + number,
                         preview_filename=secrets.token_hex(16) + ".png", position=number),
                AuditEntry(coordinator_name="Admin", action="event.publish",
                           detail=f"Event {number}"),
                Coordinator(email=f"coordinator{number}@example.org", name=f"Coordinator {number}",
                            password_hash="not-a-hash", is_admin=bool(number % 2)),
                HelpOffer(name=f"Helper {number}", email=f"helper{number}@example.org",
                          skills="Driving", languages="Persian", availability="Weekends"),
            ])
        db.session.commit()
        # Audit entries by a coordinator still there, for pages that name them.
        admin = db.session.scalar(sa.select(Coordinator).order_by(Coordinator.id).limit(1))
        if admin is not None:
            db.session.execute(sa.update(AuditEntry).where(AuditEntry.coordinator_id.is_(None))
                               .values(coordinator_id=admin.id))
            db.session.commit()


PUBLIC_PAGES = [
    "/",
    "/volunteer",
    "/events/{slug}",
    "/appeal",
    "/materials",
    "/find/{lookup_token}",
]
CONSOLE_PAGES = [
    "/console/",
    "/console/events/{event_id}",
    "/console/events/{event_id}/attendance",
    "/console/events/{event_id}/check-in",
    "/console/rosters",
    "/console/tasks/{task_id}/roster",
    "/console/inbox",
    "/console/comments",
    "/console/offers",
    "/console/appeal",
    "/console/materials",
    "/console/admin/audit",
    "/console/admin/accounts",
]


def count_queries(app: Flask, client, path: str) -> int:
    """The SQL statements of one GET of ``path``, after one to warm up."""
    assert client.get(path).status_code == 200, path
    with counting_queries(app) as statements:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(statements)


PAGES = ([(page, "en") for page in PUBLIC_PAGES + CONSOLE_PAGES]
         # Public pages show coordinators' translations of events.
         + [(page, "fa") for page in PUBLIC_PAGES])


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def query_counts(request: pytest.FixtureRequest,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[Counts]:
    """Each page's statements with 3 of everything, then with 30: the data
    is grown once for every page, not once a page."""
    folder = tmp_path_factory.mktemp("query-counts")
    app = fresh_app(empty_database(request, folder), folder)
    with app.app_context():
        create_coordinator("admin@example.org", "Admin", PASSWORD, admin=True)
        db.session.commit()
    coordinator, visitor = app.test_client(), app.test_client()
    assert sign_in(coordinator, "admin@example.org").status_code == 303
    world = create_world(app)

    def count_all() -> dict[tuple[str, str], int]:
        counts = {}
        for page, language in PAGES:
            client = coordinator if page.startswith("/console") else visitor
            client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
            counts[page, language] = count_queries(app, client, page.format(**vars(world)))
        return counts

    grow(app, world, SMALL)
    small = count_all()
    grow(app, world, LARGE - SMALL)
    large = count_all()
    yield {key: (small[key], large[key]) for key in PAGES}
    _dispose(app)


@pytest.mark.parametrize(("page", "language"), PAGES)
def test_a_list_page_takes_as_many_queries_for_30_items_as_for_3(query_counts, page, language):
    small, large = query_counts[page, language]
    assert small == large, (
        f"{page} ({language}): {small} queries for {SMALL} items, {large} for {LARGE}")
