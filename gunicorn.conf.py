"""gunicorn settings for Volunteer Hub: ``gunicorn -c gunicorn.conf.py``.

Sized for a small server (two cores); every number can be overridden from
the environment without editing this file. See bench/README.md for the
figures measured with it.
"""

from __future__ import annotations

import os


def _cores() -> int:
    """CPUs this process may run on (a container's or taskset's limit, not
    the host's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _bind() -> list[str]:
    """``VOLUNTEER_HUB_BIND`` ("127.0.0.1:8000", "unix:/run/hub.sock", several
    separated by commas), else ``HOST``:``PORT``. Loopback by default: a
    proxy in front (nginx) is the one that faces the internet."""
    if addresses := os.environ.get("VOLUNTEER_HUB_BIND", "").strip():
        return [address.strip() for address in addresses.split(",") if address.strip()]
    return [f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"]


wsgi_app = "volunteer_hub:create_app()"
bind = _bind()

# Processes give parallelism (Python runs one thread at a time per process):
# one per core and one more, so that a core has work while a worker waits
# on SQLite's write lock, the disk or the network. More were slower on two
# cores: four workers took 515 RSVPs a second where three took 635 and 750,
# with a p99 of 222 ms instead of 94, because every worker that waits for
# the booking lock, and every switch between processes, costs the lock's
# holder (bench/README.md, 3 December 2026, afternoon). One thread each by
# default: a thread that holds the booking lock (``write_transaction``)
# lets go of Python's lock (the GIL) at every statement, and with siblings
# in its process it then waited for them, lock and all, for up to 5 ms;
# on two cores one thread per worker took about 1.4 times as many RSVPs a
# second as four. More threads (GUNICORN_THREADS) suit requests that mostly
# wait, such as a database across a network. WEB_CONCURRENCY is the name
# gunicorn and most hosts already use.
workers = int(os.environ.get("WEB_CONCURRENCY") or _cores() + 1)
threads = int(os.environ.get("GUNICORN_THREADS") or 1)
# One thread: gunicorn's plain ``sync`` worker, one request at a time, one
# per connection, which nginx in front (docs/deploy.md) is made for: it
# reads slow clients' requests whole and keeps their connections itself.
# The ``gthread`` worker with one thread took as many RSVPs a second, but
# handed each request from its poller to its thread and back, and its p99
# was two to four times as long (event page 73 to 107 ms against 26 to
# 40, RSVPs 151 to 176 against 91 to 99: bench/README.md, 4 December 2026).
# Several threads need ``gthread``.
worker_class = "sync" if threads == 1 else "gthread"
#: open (keep-alive) connections each gthread worker holds; idle ones use no thread
worker_connections = 1000

# Each worker builds its own app, so each has its own database connections:
# an SQLite connection (or a psycopg pool) must never cross a fork.
preload_app = False

#: a request running longer than this has its worker restarted
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
#: on a restart or deploy, requests in flight get this long to finish
graceful_timeout = 30
#: seconds an idle keep-alive connection stays open (gthread; sync workers
#: close each connection after its answer)
keepalive = 5

# Privacy (SECURITY.md): no access log by default. Paths carry people's
# manage-link tokens and the client address says who came; neither may be
# written down. VOLUNTEER_HUB_ACCESS_LOG ("-" for standard output, or a
# file) turns on a log of method, status, size and duration only: no
# address (%(h)s), no request line or path (%(r)s, %(U)s, %(q)s), no
# referrer (%(f)s, which can hold a manage link) and no user agent.
accesslog = os.environ.get("VOLUNTEER_HUB_ACCESS_LOG") or None
access_log_format = '%(t)s %(m)s %(s)s %(b)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# gunicorn 25+ opens a control socket (for ``gunicornc``) in the home folder
# by default; nothing here uses it, and two servers on one machine would
# fight over the same path. Older versions ignore the setting.
control_socket_disable = True


#: objects allocated (less those freed) before a young collection, Python's
#: 700 ten times over: a request allocates thousands, and every collection
#: went through those of the request still alive, which the request frees
#: itself moments later. Callgrind, RSVP page and form: 1 to 1.5 % fewer
#: instructions (bench/README.md, 4 December 2026).
GC_THRESHOLD = (7000, 10, 10)


def post_worker_init(worker) -> None:
    """Each worker builds the public calendar feed before it takes a request
    (volunteer_hub.caching.warm_up), so no calendar app waits for the first
    build. Then what the worker has built so far (the app, its templates,
    the models) is set aside from garbage collection (``gc.freeze``): it
    lives as long as the worker, and a full collection that went through it
    all again stopped a request, booking lock and all, for most of a tenth
    of a second. Young collections come less often (``GC_THRESHOLD``)."""
    import gc

    from volunteer_hub.caching import warm_up

    warm_up(worker.wsgi)
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)
