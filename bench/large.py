"""Large lists under gunicorn: a printed attendance list of 10,000 RSVPs, its
CSV, and the public calendar feed of 1,000 events. See bench/README.md.

    .venv/bin/python bench/large.py [--runs 7] [--rsvps 10000] [--events 1000]

Prepares a fresh SQLite database the way bench/run.py does (migrations, demo
data), adds one event whose 10,000 RSVPs are spread over three venues and
online, and enough published events that the feed holds 1,000; starts
gunicorn with gunicorn.conf.py, signs in as a coordinator through the login
form, and times each page ``--runs`` times over HTTP (after a warm-up), with
a check that the whole list or feed came back. It counts the SQL statements
of each page in-process (test client and a ``before_cursor_execute``
listener), also for an event of 3 RSVPs, since a list must take as many
queries at 10,000 as at 3. The feed is timed as it is kept between requests,
and again just after an event changed (each run renames one event through
the coordinators' service first); the first request of each page, which may
land on a worker that never served it, is shown apart. Prints a Markdown
table and writes it, with the timings as JSON, to ``--output``/large-<time>/.
``--profile`` adds a cProfile of one in-process request per page there.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import http.client
import io
import json
import os
import pstats
import random
import re
import secrets
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

from run import (
    ROOT,
    bench_env,
    free_port,
    hub_app,
    hub_context,
    machine,
    prepare_database,
    start_gunicorn,
    stop_gunicorn,
)

LARGE_SLUG = "large-attendance"
SMALL_SLUG = "small-attendance"
COORDINATOR = ("bench-coordinator@example.org", secrets.token_urlsafe(16))
#: zones of the feed's venues: both sides of the date line, with and without DST
ZONES = ("America/New_York", "America/Los_Angeles", "Europe/London", "Europe/Berlin",
         "Asia/Tehran", "Australia/Sydney")
#: first names in the scripts attendees write them in, for a realistic sort
GIVEN = ("Shirin", "Reza", "Élodie", "Ömer", "Zoë", "María", "Sepideh", "Dariush", "Leila",
         "Nasrin", "Ahmad", "Ana", "Chen", "Kwame", "Ngozi", "Ines",
         "شیرین", "رضا", "لیلا", "نسرین", "داریوش", "سپیده", "مریم", "آرش")
FAMILY = ("Ahmadi", "Karimi", "Østergaard", "García", "Nguyen", "Smith", "Mohammadi",
          "de la Cruz", "O'Brien", "Hosseini", "Rezaei", "Müller",
          "احمدی", "کریمی", "محمدی", "حسینی", "رضایی", "")


@dataclass
class Target:
    """One page to time: what a coordinator or a calendar app asks for."""

    name: str
    path: str
    goal_ms: float | None
    headers: dict[str, str] = field(default_factory=dict)
    #: expected status; the body is then checked by ``check``
    status: int = 200
    check: Callable[[bytes], str] | None = None
    #: the same page for the 3-RSVP event, to compare query counts
    small_path: str | None = None
    #: run before each timed request (not before the warm-up ones)
    before: Callable[[], None] | None = None


@dataclass
class Result:
    name: str
    path: str
    goal_ms: float | None
    times_ms: list[float]
    #: the first, untimed request: a worker that has not served the page yet
    first_ms: float
    size: int
    queries: int
    small_queries: int | None
    check: str

    @property
    def median(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def max(self) -> float:
        return max(self.times_ms)

    @property
    def met(self) -> bool:
        return (self.goal_ms is None or self.max < self.goal_ms) and self.check == "ok"


# --- the data -----------------------------------------------------------------

def _name(rng: random.Random) -> str:
    return f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}".strip()


def add_large_event(env: dict[str, str], rsvps: int) -> dict:
    """The event with ``rsvps`` people going (3 venues and online), and a
    like event with 3; RSVPs inserted in bulk, each with its own token hash
    and calendar UID as the model requires."""
    with hub_context(env):
        import sqlalchemy as sa

        from volunteer_hub.events.models import Event, EventStatus, Venue
        from volunteer_hub.extensions import db
        from volunteer_hub.rsvps.models import Rsvp, RsvpStatus
        from volunteer_hub.tokens import link_token, new_nonce, token_hash

        starts = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=30)
        events = {}
        for slug, count in ((LARGE_SLUG, rsvps), (SMALL_SLUG, 3)):
            event = Event(
                slug=slug, title=f"Attendance of {count:,}", timezone="America/New_York",
                starts_at=starts, ends_at=starts + timedelta(hours=3), online=True,
                stream_url="https://stream.example.org/live", guest_limit=3,
                status=EventStatus.PUBLISHED, description="Bring a *friend*.",
                venues=[Venue(position=0, name="Revolution Books Harlem",
                              address="437 Malcolm X Blvd, New York", timezone="America/New_York"),
                        Venue(position=1, name="Revolution Books Berkeley",
                              address="2444 Durant Ave, Berkeley", timezone="America/Los_Angeles"),
                        Venue(position=2, name="Conway Hall", address="25 Red Lion Square, London",
                              timezone="Europe/London", starts_at=starts - timedelta(hours=4))])
            db.session.add(event)
            db.session.flush()
            events[slug] = (event.id, [venue.id for venue in event.venues], count)
        db.session.commit()

        rng, now, rows = random.Random(9), datetime.now(UTC), []
        for slug, (event_id, venue_ids, count) in events.items():
            # half in Harlem, a quarter in Berkeley, 15% in London, 10% online
            places = rng.choices([*venue_ids, None], weights=[50, 25, 15, 10], k=count)
            for number, venue_id in enumerate(places):
                nonce = new_nonce()
                email = f"{slug}-{number}@example.org"
                rows.append({
                    "event_id": event_id, "venue_id": venue_id, "status": RsvpStatus.GOING,
                    "name": _name(rng), "email": email, "email_key": email,
                    "guests": rng.choice((0, 0, 0, 1, 2)), "keep_updated": number % 3 == 0,
                    "access_needs": "Step-free entrance, please" if number % 20 == 0 else "",
                    "language": rng.choice(("en", "en", "fa", "es")),
                    "token_nonce": nonce, "token_hash": token_hash(link_token("rsvp", nonce)),
                    "ical_uid": f"rsvp-{secrets.token_hex(16)}@127.0.0.1",
                    "invite_active": True, "invite_sequence": 0,
                    "checked_in_at": now if number % 7 == 0 else None,
                    "created_at": now, "updated_at": now,
                })
        db.session.execute(sa.insert(Rsvp), rows)
        db.session.commit()
        largest, going = db.session.execute(
            sa.select(Rsvp.venue_id, sa.func.count(Rsvp.id))
            .where(Rsvp.event_id == events[LARGE_SLUG][0], Rsvp.venue_id.is_not(None))
            .group_by(Rsvp.venue_id).order_by(sa.func.count(Rsvp.id).desc()).limit(1)).one()
    return {"large": events[LARGE_SLUG][0], "small": events[SMALL_SLUG][0], "venue": largest,
            "venue_going": going, "small_venue": events[SMALL_SLUG][1][0]}


def add_feed_events(env: dict[str, str], total: int) -> int:
    """Published events (some cancelled, some online, some with a second
    venue keeping its own hours) until the public feed holds ``total``;
    returns how many it holds."""
    with hub_context(env):
        import sqlalchemy as sa

        from volunteer_hub.events.models import Event, EventStatus, EventTranslation, Venue
        from volunteer_hub.extensions import db

        listed = sa.select(sa.func.count(Event.id)).where(
            Event.status.in_([EventStatus.PUBLISHED, EventStatus.CANCELLED]),
            Event.starts_at.is_not(None))
        missing = max(total - db.session.scalar(listed), 0)
        rng, now = random.Random(1000), datetime.now(UTC).replace(microsecond=0)
        events = []
        for number in range(missing):
            starts = (now + timedelta(days=rng.randint(1, 400), hours=rng.randint(0, 23))
                      ).replace(minute=0, second=0)
            events.append({
                "slug": f"feed-{number}", "title": f"Vigil for the prisoners no. {number}",
                "description": (f"Stand with Iran's political prisoners, vigil **{number}**. "
                                "Bring candles and the [appeal](https://example.org/appeal); "
                                "*no* flags of any state, please.\n\n- posters\n- leaflets"),
                "timezone": rng.choice(ZONES), "starts_at": starts,
                "ends_at": starts + timedelta(hours=rng.choice((1, 2, 3))),
                "online": number % 3 == 0, "guest_limit": 2,
                "status": EventStatus.CANCELLED if number % 20 == 0 else EventStatus.PUBLISHED,
                "sequence": number % 4, "created_at": now, "updated_at": now,
            })
        db.session.execute(sa.insert(Event), events)
        ids = dict(db.session.execute(sa.select(Event.slug, Event.id).where(
            Event.slug.like("feed-%"))).all())
        venues, translations = [], []
        for event in events:
            event_id = ids[event["slug"]]
            for position in range(1 + (event_id % 2)):
                own_hours = position == 1 and event_id % 10 == 1
                venues.append({
                    "event_id": event_id, "position": position,
                    "name": f"Hall {event_id}.{position}", "address": f"{event_id} Freedom Street",
                    "timezone": event["timezone"] if position == 0 else rng.choice(ZONES),
                    "starts_at": event["starts_at"] + timedelta(hours=1) if own_hours else None,
                    "ends_at": event["ends_at"] + timedelta(hours=1) if own_hours else None,
                    "capacity": 200, "accessibility": ""})
            if event_id % 10 == 0:
                translations.append({"event_id": event_id, "language": "fa",
                                     "title": f"شب‌زنده‌داری {event_id}", "description": ""})
        db.session.execute(sa.insert(Venue), venues)
        if translations:
            db.session.execute(sa.insert(EventTranslation), translations)
        db.session.commit()
        return db.session.scalar(listed)


def add_coordinator(env: dict[str, str]) -> None:
    """A (non-admin) coordinator account, made by the app's own service."""
    with hub_context(env):
        from volunteer_hub.coordinators import services
        from volunteer_hub.extensions import db

        services.create_coordinator(COORDINATOR[0], "Bench Coordinator", COORDINATOR[1])
        db.session.commit()


# --- HTTP ---------------------------------------------------------------------

def _csrf_token(html: str) -> str:
    return re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def _request(port: int, path: str, headers: dict[str, str], method: str = "GET",
             body: str | None = None) -> tuple[int, http.client.HTTPMessage, bytes, float]:
    """One request on a new connection, as a browser opening the page would;
    the time runs from connecting until the last byte of the body."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
    finally:
        connection.close()
    return response.status, response.headers, data, time.perf_counter() - started


def sign_in_over_http(port: int) -> str:
    """The session cookie of a coordinator signed in through the login form."""
    status, headers, page, _ = _request(port, "/console/login", {})
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    form = {"csrf_token": _csrf_token(page.decode()), "email": COORDINATOR[0],
            "password": COORDINATOR[1]}
    status, headers, _, _ = _request(port, "/console/login", {
        "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
        "POST", urlencode(form))
    if status != 303:
        raise SystemExit(f"signing in answered {status}, not 303")
    return headers["Set-Cookie"].split(";", 1)[0]


def signed_in_client(app):
    """A test client signed in through the same login form."""
    client = app.test_client()
    page = client.get("/console/login").get_data(as_text=True)
    response = client.post("/console/login", data={
        "csrf_token": _csrf_token(page), "email": COORDINATOR[0], "password": COORDINATOR[1]})
    if response.status_code != 303:
        raise SystemExit(f"signing in (in-process) answered {response.status_code}")
    return client


# --- the measurements ---------------------------------------------------------

def _count_rows(marker: bytes, expected: int) -> Callable[[bytes], str]:
    def check(body: bytes) -> str:
        found = body.count(marker)
        return "ok" if found == expected else f"{found} rows, expected {expected}"
    return check


def _csv_rows(expected: int) -> Callable[[bytes], str]:
    def check(body: bytes) -> str:
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
        return "ok" if len(rows) == expected + 1 else f"{len(rows) - 1} rows, expected {expected}"
    return check


def _empty(body: bytes) -> str:
    return "ok" if not body else f"{len(body)} bytes in a 304"


def event_changer(env: dict[str, str]) -> Callable[[], None]:
    """Renames one event of the feed through the coordinators' own service,
    so that every feed built before is out of date."""
    app = hub_app(env)
    renames = iter(range(1, 1_000_000))

    def change() -> None:
        import sqlalchemy as sa

        from volunteer_hub.database import begin_write
        from volunteer_hub.events import changes
        from volunteer_hub.events.models import Event
        from volunteer_hub.extensions import db

        with app.app_context():
            begin_write()
            event = db.session.scalars(sa.select(Event).where(Event.slug == "feed-1")).one()
            changes.update_event(event, title=f"Vigil for the prisoners, renamed {next(renames)}")
            db.session.commit()
            db.session.remove()
    return change


def targets(ids: dict, rsvps: int, feed_entries: int, validator: dict[str, str],
            change: Callable[[], None]) -> list[Target]:
    large, small = f"/console/events/{ids['large']}", f"/console/events/{ids['small']}"
    return [
        Target("attendance list, all places (HTML)", f"{large}/attendance", 1000,
               check=_count_rows(b'<td class="sheet-name">', rsvps),
               small_path=f"{small}/attendance"),
        Target("attendance list, largest venue (HTML)",
               f"{large}/attendance?venue={ids['venue']}", 1000,
               check=_count_rows(b'<td class="sheet-name">', ids["venue_going"]),
               small_path=f"{small}/attendance?venue={ids['small_venue']}"),
        Target("attendance CSV, all places", f"{large}/attendance.csv", 500,
               check=_csv_rows(rsvps), small_path=f"{small}/attendance.csv"),
        Target("public feed /calendar.ics", "/calendar.ics", 200,
               check=_count_rows(b"BEGIN:VEVENT", feed_entries)),
        Target("feed 304 (If-None-Match)", "/calendar.ics", None, status=304, check=_empty,
               headers={"If-None-Match": validator["etag"]}),
        Target("feed 304 (If-Modified-Since)", "/calendar.ics", None, status=304, check=_empty,
               headers={"If-Modified-Since": validator["last_modified"]}),
        # last: it changes the feed, which the 304s above must not see
        Target("public feed, just after an event changed", "/calendar.ics", 200,
               check=_count_rows(b"BEGIN:VEVENT", feed_entries), before=change),
    ]


def time_target(port: int, cookie: str, target: Target, runs: int, warm_up: int
                ) -> tuple[list[float], float, int, str]:
    headers = {"Cookie": cookie, **target.headers}
    times, first, size, problems = [], 0.0, 0, set()
    for number in range(warm_up + runs):
        if number >= warm_up and target.before:
            target.before()
        status, _, body, seconds = _request(port, target.path, headers)
        first = first or seconds * 1000
        if status != target.status:
            problems.add(f"status {status}")
        elif target.check and (problem := target.check(body)) != "ok":
            problems.add(problem)
        if number >= warm_up:
            times.append(seconds * 1000)
            size = len(body)
    return times, first, size, "; ".join(sorted(problems)) or "ok"


def count_target(client, app, target: Target, path: str) -> int:
    """SQL statements of one in-process request, counted by the test suite's
    own counter (hub_app put the repository on sys.path)."""
    from tests.helpers import counting_queries

    if target.before:
        target.before()
    with counting_queries(app) as statements:
        response = client.get(path, headers=target.headers)
    if response.status_code != target.status:
        raise SystemExit(f"{target.name}: {path} answered {response.status_code} in-process")
    return len(statements)


def profile_target(client, target: Target, out: Path) -> None:
    """cProfile of one in-process request, the 40 costliest calls by total
    time and by cumulative time, to out/profile-<page>.txt."""
    if target.before:
        target.before()
    profiler = cProfile.Profile()
    profiler.runcall(client.get, target.path, headers=target.headers)
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("tottime").print_stats(40)
    stats.sort_stats("cumulative").print_stats(40)
    slug = re.sub(r"[^a-z0-9]+", "-", target.name.lower()).strip("-")
    (out / f"profile-{slug}.txt").write_text(text.getvalue())


def table(results: list[Result]) -> str:
    rows = ["| page | median ms | max ms | goal | met | first request ms "
            "| SQL statements (3 RSVPs) | bytes | check |",
            "| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- |"]
    for result in results:
        small = "" if result.small_queries is None else f" ({result.small_queries})"
        goal = "" if result.goal_ms is None else f"< {result.goal_ms:.0f} ms"
        rows.append(f"| {result.name} | {result.median:.1f} | {result.max:.1f} | {goal} "
                    f"| {'yes' if result.met else '**no**'} | {result.first_ms:.1f} "
                    f"| {result.queries}{small} "
                    f"| {result.size:,} | {result.check} |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="timed requests per page")
    parser.add_argument("--warm-up", type=int, default=20,
                        help="untimed requests per page first: each of gunicorn's workers "
                             "compiles templates, and builds the feed, on its first")
    parser.add_argument("--rsvps", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=1_000, help="events in the feed")
    parser.add_argument("--profile", action="store_true", help="write cProfile reports too")
    parser.add_argument("--output", type=Path, default=ROOT / "build" / "bench")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = args.output / f"large-{stamp}"
    out.mkdir(parents=True)
    folder = Path(tempfile.mkdtemp(prefix="volunteer-hub-bench-large-"))
    env = bench_env(folder)
    about = machine()
    started = time.perf_counter()
    prepare_database(env, capacity=1_000_000)
    ids = add_large_event(env, args.rsvps)
    listed = add_feed_events(env, args.events)
    add_coordinator(env)
    print(f"database ready in {time.perf_counter() - started:.1f} s: {args.rsvps:,} RSVPs, "
          f"{listed:,} events in the feed", flush=True)

    # Last-Modified says one second earlier while the last change's second
    # lasts (caching.py); let it pass, so that both validators stay put.
    time.sleep(1.1)
    app = hub_app(env)
    client = signed_in_client(app)
    feed = client.get("/calendar.ics")
    validator = {"etag": feed.headers["ETag"], "last_modified": feed.headers["Last-Modified"]}
    pages = targets(ids, args.rsvps, feed.get_data().count(b"BEGIN:VEVENT"), validator,
                    event_changer(env))
    if (events := len(set(re.findall(rb"UID:event-(\d+)-", feed.get_data())))) != listed:
        raise SystemExit(f"the feed lists {events} events, the database {listed}")
    port = free_port()
    server = start_gunicorn(None, port, env, out / "gunicorn.log")
    try:
        cookie = sign_in_over_http(port)
        results = []
        # Page by page, the in-process count (and profile) just before the
        # timing: the last page changes the feed, which the 304s must not see.
        for page in pages:
            queries = count_target(client, app, page, page.path)
            small = page.small_path and count_target(client, app, page, page.small_path)
            if args.profile:
                profile_target(client, page, out)
            times, first, size, check = time_target(port, cookie, page, args.runs,
                                                    args.warm_up)
            results.append(Result(page.name, page.path, page.goal_ms, times, first, size,
                                  queries, small, check))
            print(f"{page.name}: median {results[-1].median:.1f} ms, "
                  f"max {results[-1].max:.1f} ms, first {first:.1f} ms, {check}", flush=True)
    finally:
        stop_gunicorn(server)
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    load = os.getloadavg()
    report = (f"Machine: {about}; load average after the run {load[0]:.2f}. "
              f"{args.rsvps:,} RSVPs on one event, {listed:,} events in the feed; "
              f"{args.runs} timed requests per page after {args.warm_up} untimed, each on a "
              f"new connection, one at a time.\n\n{table(results)}\n")
    (out / "results.md").write_text(report)
    (out / "results.json").write_text(json.dumps(
        [{**asdict(result), "median_ms": result.median, "max_ms": result.max}
         for result in results], indent=1))
    print(f"\n{report}\nWritten to {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    if any(result.check != "ok" for result in results):
        raise SystemExit("a page did not answer as expected")


if __name__ == "__main__":
    main()
