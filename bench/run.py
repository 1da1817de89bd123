"""Benchmark Volunteer Hub against a bare Flask "hello world", both served by
gunicorn.conf.py, with wrk. See bench/README.md.

    .venv/bin/python bench/run.py [--runs 3] [--duration 30] [--connections 50]
                                  [--database postgresql] [--instances 2]

Prepares a fresh database (SQLite in a temporary folder, or a throwaway
PostgreSQL database, dropped at the end) with migrations, demo data and a
benchmark event whose one venue has a large capacity, starts gunicorn for
both apps on free ports (with ``--instances 2``: two instances of each behind
nginx on deploy/nginx-site.conf, one port per app), and runs each target
``--runs`` times,
round by round, so that every figure can be divided by the hello-world rate
measured in the same round. Prints a Markdown table of medians and writes it,
with the raw figures as JSON, to ``--output`` (build/bench/ by default).
After each RSVP round it checks the database: nobody beyond the venue's
capacity is going, and every RSVP the client saw acknowledged (303) is there.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess  # nosec B404: runs gunicorn and wrk, fixed arguments
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "deploy"))
from local_nginx import LocalNginx, start_nginx  # noqa: E402

PG = {"host": os.environ.get("PGHOST", "127.0.0.1"), "port": os.environ.get("PGPORT", "5432"),
      "user": os.environ.get("PGUSER", "postgres")}
EVENT_PAGE = "/events/afternoon-of-solidarity-2027"
BENCH_SLUG = "benchmark-rsvp"
#: (name, app, path): what each round measures, between two runs of the
#: hello world (its first and last), so that each round's yardstick is the
#: machine's speed over the whole round, not only at its start
TARGETS = [
    ("hello world", "hello", "/"),
    ("event page", "hub", EVENT_PAGE),
    ("calendar feed", "hub", "/calendar.ics"),
    ("RSVP flow", "hub", f"/events/{BENCH_SLUG}"),
    ("hello world, again", "hello", "/"),
]
#: the runs of the hello world whose mean rate is a round's yardstick
HELLO = ("hello world", "hello world, again")
#: with --instances 2 or more: the hello world also served directly by one
#: gunicorn instance, as without nginx, to tell nginx's and TLS's share apart
DIRECT_HELLO = ("hello world, direct", "hello-direct", "/")
_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}


@dataclass
class Result:
    """One wrk run, as wrk reported it; latencies in milliseconds."""

    target: str
    round: int
    requests: int
    seconds: float
    rate: float
    latency: dict[str, float]
    errors: int
    statuses: dict[str, int] = field(default_factory=dict)
    rsvps: int = 0
    check: str = ""


def parse_wrk(output: str) -> dict:
    """Requests, duration, rate, latency percentiles, errors and (for the
    RSVP script) the status counts from wrk's text output."""
    def number(pattern: str, default: str = "0") -> str:
        found = re.search(pattern, output)
        return found.group(1) if found else default

    latency = {f"p{pct}": float(value) * _UNITS[unit] for pct, value, unit in
               re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s|m|h)\s*$", output, re.M)}
    socket_errors = sum(map(int, re.findall(
        r"(?:connect|read|write|timeout) (\d+)", number(r"Socket errors: (.*)", ""))))
    statuses = dict(re.findall(r"^status (\S+) (\d+)$", output, re.M))
    return {
        "requests": int(number(r"(\d+) requests in")),
        "seconds": _seconds(number(r"requests in ([\d.]+\w+),", "0s")),
        "rate": float(number(r"Requests/sec:\s+([\d.]+)")),
        "latency": latency,
        "errors": socket_errors + int(number(r"Non-2xx or 3xx responses: (\d+)")),
        "statuses": {status: int(count) for status, count in statuses.items()},
    }


def _seconds(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(\w+)", text).groups()
    return float(value) * _UNITS[unit] / 1e3


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare_database(env: dict[str, str], capacity: int) -> None:
    """Migrations, the demo events, and the benchmark event."""
    flask = [str(BIN / "flask"), "--app", "volunteer_hub"]
    for command in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run([*flask, *command], env=env, cwd=ROOT, check=True,  # nosec B603
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with hub_context(env):
        from volunteer_hub.events.models import Event, EventStatus, Venue
        from volunteer_hub.extensions import db

        starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=60)
        db.session.add(Event(
            slug=BENCH_SLUG, title="Benchmark RSVPs", timezone="UTC", starts_at=starts,
            ends_at=starts + timedelta(hours=2), status=EventStatus.PUBLISHED,
            venues=[Venue(name="Benchmark hall", address="1 Load Street", timezone="UTC",
                          capacity=capacity)]))
        db.session.commit()


def bench_env(folder: Path) -> dict[str, str]:
    """The environment the benchmark's servers run in: a fresh SQLite
    database and mail folder in ``folder``, a random secret key, no access
    log, and no rate limit or "too fast for a person" check (one address
    posting forms quickly is the point here, not a bot)."""
    env = {**os.environ,
           "VOLUNTEER_HUB_DATABASE_URL": f"sqlite:///{folder / 'hub.sqlite3'}",
           "VOLUNTEER_HUB_SECRET_KEY": secrets.token_hex(32),
           "VOLUNTEER_HUB_MAIL_URL": str(folder / "mail"),
           "VOLUNTEER_HUB_RATELIMIT_ENABLED": "false",
           "VOLUNTEER_HUB_FORM_MIN_SECONDS": "0"}
    env.pop("VOLUNTEER_HUB_ACCESS_LOG", None)
    return env


def hub_app(env: dict[str, str]):
    """The app, configured from ``env`` exactly as gunicorn's workers are."""
    os.environ.update({key: value for key, value in env.items()
                       if key.startswith("VOLUNTEER_HUB_")})
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from volunteer_hub import create_app

    return create_app()


@contextlib.contextmanager
def hub_context(env: dict[str, str]):
    """An app context of a fresh app on the benchmark's database; its
    connections are closed afterwards (PostgreSQL keeps count of them)."""
    app = hub_app(env)
    with app.app_context():
        from volunteer_hub.extensions import db

        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


@contextlib.contextmanager
def postgresql_database(folder: Path):
    """A throwaway PostgreSQL database on the local server (PGHOST, PGPORT,
    PGUSER), dropped at the end; yields its URL."""
    name = f"volunteer_hub_bench_{os.getpid()}"
    where = ["-h", PG["host"], "-p", PG["port"], "-U", PG["user"]]
    subprocess.run(["createdb", *where, name], check=True)  # nosec B603 B607
    try:
        yield f"postgresql://{PG['user']}@{PG['host']}:{PG['port']}/{name}"
    finally:
        subprocess.run(["dropdb", *where, "--if-exists", "--force", name],  # nosec B603 B607
                       check=False)


def check_rsvps(env: dict[str, str], prefix: str, acknowledged: int) -> str:
    """'' when nothing is overbooked and every acknowledged RSVP is stored,
    else what is wrong. Rows may exceed 303s: RSVPs in flight when wrk
    stopped are stored without the client seeing their answer."""
    with hub_context(env):
        from sqlalchemy import func, select

        from volunteer_hub.events.models import Event, Venue
        from volunteer_hub.extensions import db
        from volunteer_hub.rsvps.models import Rsvp, RsvpStatus

        venue = db.session.scalars(select(Venue).join(Event).where(
            Event.slug == BENCH_SLUG)).one()
        going = db.session.scalar(select(func.coalesce(func.sum(1 + Rsvp.guests), 0)).where(
            Rsvp.venue_id == venue.id, Rsvp.status == RsvpStatus.GOING))
        stored = db.session.scalar(select(func.count()).select_from(Rsvp).where(
            Rsvp.email.like(f"{prefix}-%")))
    problems = []
    if going > venue.capacity:
        problems.append(f"OVERBOOKED: {going} going, capacity {venue.capacity}")
    if stored < acknowledged:
        problems.append(f"LOST: {acknowledged} acknowledged, {stored} stored")
    return "; ".join(problems) or f"ok ({stored} stored, {acknowledged} acknowledged)"


def start_gunicorn(app: str | None, port: int, env: dict[str, str], log: Path):
    """gunicorn -c gunicorn.conf.py for ``app`` (the hub when None) on
    ``port``; returns once it answers."""
    command = [str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"),
               "--bind", f"127.0.0.1:{port}"]
    if app:
        command += ["--pythonpath", str(ROOT / "bench"), app]
    server = subprocess.Popen(command, env=env, cwd=ROOT,  # nosec B603
                              stdout=log.open("w"), stderr=subprocess.STDOUT,
                              start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)  # nosec B310
            return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit(f"gunicorn exited; see {log}") from None
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer on port {port}; see {log}")


def wrk(url: str, args: argparse.Namespace, *, seconds: int, script: list[str] = (),
        connections: int | None = None, timeout: int = 10) -> str:
    command = ["wrk", f"-t{args.threads}", f"-c{connections or args.connections}",
               f"-d{seconds}s", "--latency", "--timeout", f"{timeout}s"]
    if script:
        command += ["-s", str(ROOT / "bench" / "rsvp.lua"), url, "--", *script]
    else:
        command.append(url)
    return subprocess.run(command, check=True, capture_output=True,  # nosec B603
                          text=True).stdout


def targets(bases: dict[str, str]) -> list[tuple[str, str, str]]:
    """What each round measures: TARGETS, and the direct hello world when
    the apps are behind nginx."""
    return [TARGETS[0], DIRECT_HELLO, *TARGETS[1:]] if "hello-direct" in bases else TARGETS


def measure(args: argparse.Namespace, bases: dict[str, str], env: dict[str, str],
            out: Path) -> list[Result]:
    results = []
    warm_up = [f"{bases['hello']}/", f"{bases['hub']}{EVENT_PAGE}"]
    if "hello-direct" in bases:
        warm_up.append(f"{bases['hello-direct']}/")
    for url in warm_up:
        wrk(url, args, seconds=2)  # warm-up: imports, templates, connections
    for number in range(1, args.runs + 1):
        for name, app, path in targets(bases):
            url = f"{bases[app]}{path}"
            prefix = f"bench-r{number}-{secrets.token_hex(3)}"
            rsvp = name == "RSVP flow"
            seconds = (args.rsvp_duration or args.duration) if rsvp else args.duration
            output = wrk(url, args, seconds=seconds, script=[prefix] if rsvp else [])
            page = re.sub(r"\W+", "-", name)
            (out / f"wrk-{number}-{page}.txt").write_text(output)
            result = Result(target=name, round=number, **parse_wrk(output))
            if rsvp:
                result.rsvps = result.statuses.get("303", 0)
                result.errors += sum(count for status, count in result.statuses.items()
                                     if status not in ("200", "303"))
                result.check = check_rsvps(env, prefix, result.rsvps)
            results.append(result)
            print(f"round {number} {name}: {result.rate:.0f} req/s, "
                  f"p99 {result.latency.get('p99', 0):.1f} ms, errors {result.errors}"
                  + (f", {result.rsvps / result.seconds:.0f} RSVPs/s, {result.check}"
                     if rsvp else ""), flush=True)
    return results


def overload(args: argparse.Namespace, bases: dict[str, str], env: dict[str, str],
             out: Path) -> str:
    """One RSVP-flow run at ``--overload`` connections: how many got a form
    or an RSVP, how many the friendly 503, how many nothing (wrk's socket
    errors and timeouts), and whether anything acknowledged was lost."""
    prefix = f"bench-overload-{secrets.token_hex(3)}"
    output = wrk(f"{bases['hub']}/events/{BENCH_SLUG}", args, seconds=args.duration,
                 script=[prefix], connections=args.overload, timeout=30)
    (out / "wrk-overload.txt").write_text(output)
    found = parse_wrk(output)
    statuses = found["statuses"]
    check = check_rsvps(env, prefix, statuses.get("303", 0))
    latency = found["latency"]
    return (f"Overload: {args.overload} connections for {args.duration} s: "
            f"{found['rate']:.0f} req/s, p50 {latency.get('p50', 0):.0f} ms, "
            f"p99 {latency.get('p99', 0):.0f} ms; answers by status "
            f"{', '.join(f'{code}: {count}' for code, count in sorted(statuses.items()))}; "
            f"socket errors and timeouts {found['errors']}; database check {check}.")


def worker_rate(env: dict[str, str]) -> str:
    """How fast one mail worker writes the confirmations the RSVP rounds
    left it (CONFIRMATIONS_BY_WORKER): the first 2,000, timed in this process."""
    with hub_context(env):
        from sqlalchemy import func, select

        from volunteer_hub.extensions import db
        from volunteer_hub.mail.models import OutboxMessage
        from volunteer_hub.rsvps.services import write_waiting_confirmations

        waiting = db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.compose.is_not(None)))
        db.session.rollback()
        started = time.perf_counter()
        written = write_waiting_confirmations(limit=2000)
        seconds = time.perf_counter() - started
    if not written:
        return "Mail worker: no confirmations were waiting."
    return (f"Mail worker: {waiting} confirmations waiting after the rounds; one worker "
            f"wrote {written} in {seconds:.1f} s ({written / seconds:.0f} a second).")


def table(results: list[Result]) -> str:
    """Medians over the rounds; ratios are taken per round (to the mean rate
    of that round's hello world runs), then the median."""
    hello = {round_: statistics.mean(result.rate for result in results
                                     if result.round == round_ and result.target in HELLO)
             for round_ in {result.round for result in results}}
    rows = ["| target | req/s | ratio to hello | p50 ms | p90 ms | p99 ms | errors "
            "| RSVPs/s | RSVPs/s ÷ hello req/s | database check |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for name in dict.fromkeys(result.target for result in results):
        runs = [result for result in results if result.target == name]

        def median(values):
            return statistics.median(values) if values else float("nan")

        rate = median([run.rate for run in runs])
        ratio = median([run.rate / hello[run.round] for run in runs])
        pcts = [median([run.latency.get(p, float("nan")) for run in runs])
                for p in ("p50", "p90", "p99")]
        rsvp = name == "RSVP flow"
        rsvps = median([run.rsvps / run.seconds for run in runs]) if rsvp else None
        rsvp_ratio = median([run.rsvps / run.seconds / hello[run.round]
                             for run in runs]) if rsvp else None
        checks = "; ".join(sorted({run.check.split(" (")[0] for run in runs})) if rsvp else ""
        rows.append(
            f"| {name} | {rate:.0f} | {ratio:.3f} | {pcts[0]:.1f} | {pcts[1]:.1f} "
            f"| {pcts[2]:.1f} | {sum(run.errors for run in runs)} "
            f"| {'' if rsvps is None else f'{rsvps:.0f}'} "
            f"| {'' if rsvp_ratio is None else f'{rsvp_ratio:.3f}'} | {checks} |")
    return "\n".join(rows)


def machine() -> str:
    model = re.search(r"^model name\s*:\s*(.*)$", Path("/proc/cpuinfo").read_text(), re.M)
    memory = re.search(r"^MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text(), re.M)
    load = os.getloadavg()
    return (f"{os.cpu_count()} CPUs ({model.group(1) if model else 'unknown'}), "
            f"{int(memory.group(1)) / 2**20:.0f} GiB RAM, "
            f"load average before the run {load[0]:.2f}")


def serve(args: argparse.Namespace, env: dict[str, str], folder: Path, out: Path,
          stack: contextlib.ExitStack) -> dict[str, str]:
    """Start the hello world and the hub: one gunicorn each, or with
    ``--instances N`` N of each behind an nginx of their own. Returns each
    app's base URL; ``stack`` stops everything."""
    bases = {}
    for app, module in (("hello", "hello:app"), ("hub", None)):
        ports = [free_port() for _ in range(args.instances)]
        for number, port in enumerate(ports, 1):
            server = start_gunicorn(module, port, env, out / f"gunicorn-{app}-{number}.log")
            stack.callback(stop_gunicorn, server)
        if args.instances == 1:
            bases[app] = f"http://127.0.0.1:{ports[0]}"
            continue
        https, http = free_port(), free_port()
        nginx: LocalNginx = start_nginx(folder / f"nginx-{app}",
                                        [f"127.0.0.1:{port}" for port in ports],
                                        https_port=https, http_port=http)
        stack.callback(nginx.stop)
        bases[app] = f"https://127.0.0.1:{https}"
    if args.instances > 1:
        port = free_port()
        direct = {key: value for key, value in env.items() if key != "WEB_CONCURRENCY"}
        if "WEB_CONCURRENCY" in os.environ:
            direct["WEB_CONCURRENCY"] = os.environ["WEB_CONCURRENCY"]
        stack.callback(stop_gunicorn, start_gunicorn("hello:app", port, direct,
                                                     out / "gunicorn-hello-direct.log"))
        bases["hello-direct"] = f"http://127.0.0.1:{port}"
    return bases


def stop_gunicorn(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="rounds (default 3)")
    parser.add_argument("--duration", type=int, default=30, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--capacity", type=int, default=1_000_000,
                        help="places at the benchmark venue (small: test the waitlist)")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite",
                        help="sqlite (default) or a throwaway database on the local "
                             "PostgreSQL server (PGHOST, PGPORT, PGUSER)")
    parser.add_argument("--instances", type=int, default=1,
                        help="gunicorn instances per app; 2 or more: behind nginx "
                             "(deploy/nginx-site.conf, HTTPS), each with its share of the "
                             "workers one instance would have")
    parser.add_argument("--rsvp-duration", type=int, default=None,
                        help="seconds of each RSVP-flow run (default: --duration); 60 for "
                             "the sustained minute the targets ask for")
    parser.add_argument("--overload", type=int, default=0, metavar="CONNECTIONS",
                        help="after the rounds, one RSVP-flow run at this many connections "
                             "(wrk timeout 30 s) to see how the app answers overload")
    parser.add_argument("--output", type=Path, default=ROOT / "build" / "bench")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk not found: apt-get install wrk")
    if args.instances < 1:
        raise SystemExit("--instances must be at least 1")

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = args.output / stamp
    out.mkdir(parents=True)
    folder = Path(tempfile.mkdtemp(prefix="volunteer-hub-bench-"))
    env = bench_env(folder)
    if args.instances > 1:
        # The machine's workers shared out, so that N instances together run
        # as many processes as one instance alone would (gunicorn.conf.py).
        workers = int(os.environ.get("WEB_CONCURRENCY") or len(os.sched_getaffinity(0)) + 1)
        env["WEB_CONCURRENCY"] = str(-(-workers // args.instances))  # rounded up
        env["VOLUNTEER_HUB_PROXY_COUNT"] = "1"
    about = machine()
    with contextlib.ExitStack() as stack:
        stack.callback(lambda: args.keep or shutil.rmtree(folder, ignore_errors=True))
        if args.database == "postgresql":
            env["VOLUNTEER_HUB_DATABASE_URL"] = stack.enter_context(postgresql_database(folder))
        prepare_database(env, args.capacity)
        bases = serve(args, env, folder, out, stack)
        results = measure(args, bases, env, out)
        extra = [overload(args, bases, env, out)] if args.overload else []
        extra.append(worker_rate(env))
    served = (f"{args.instances} gunicorn instances of "
              f"{env['WEB_CONCURRENCY']} workers each behind nginx (HTTPS)"
              if args.instances > 1 else "one gunicorn instance")
    report = (f"Machine: {about}. Database: {args.database}; {served}, the same for hello "
              f"world. wrk {args.threads} threads, {args.connections} connections, "
              f"{args.runs} × {args.duration} s"
              + (f" (RSVP flow {args.rsvp_duration} s)" if args.rsvp_duration else "")
              + f"; medians.\n\n{table(results)}\n\n" + "\n\n".join(extra) + "\n")
    (out / "results.md").write_text(report)
    (out / "results.json").write_text(json.dumps(
        {"database": args.database, "instances": args.instances,
         "results": [asdict(r) for r in results]}, indent=1))
    print(f"\n{report}\nWritten to {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    if any(result.check and not result.check.startswith("ok") for result in results) or any(
            "LOST" in line or "OVERBOOKED" in line for line in extra):
        raise SystemExit("the database check failed")


if __name__ == "__main__":
    main()
