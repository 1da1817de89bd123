"""Configuration defaults for Volunteer Hub.

Every value can be overridden by an environment variable with the prefix
``VOLUNTEER_HUB_``, for example ``VOLUNTEER_HUB_DATABASE_URL`` or
``VOLUNTEER_HUB_MAIL_URL`` (read with Flask's ``from_prefixed_env``).
"""

from __future__ import annotations


class Config:
    """Settings for running the application."""

    #: Signs sessions and CSRF tokens and derives personal links. When unset,
    #: a random key is generated once and kept in ``instance/secret_key``;
    #: in production it must be set (see ``PRODUCTION``).
    SECRET_KEY: str | None = None

    #: Set VOLUNTEER_HUB_PRODUCTION=1 on a server open to the public: the app
    #: then refuses to start without a strong SECRET_KEY of its own.
    PRODUCTION = False

    #: SQLAlchemy URL. When unset: SQLite at ``instance/volunteer_hub.sqlite3``.
    #: ``postgresql://`` URLs use the psycopg 3 driver.
    DATABASE_URL: str | None = None

    #: How long a writer waits for the database (SQLite's write lock, or
    #: PostgreSQL's lock on an event's row) before the person is asked to try
    #: again (503, nothing saved).
    LOCK_TIMEOUT_MS = 10_000
    #: A request that waited longer than this behind the proxy (its
    #: X-Request-Start header) is answered 503 at once; 0 never sheds.
    #: QUEUE_TIMEOUT_SECONDS + 2 × LOCK_TIMEOUT_MS (a writer's turn, then
    #: SQLite's lock) must stay under gunicorn's timeout (30 s), or a worker
    #: is killed instead of answering "busy".
    QUEUE_TIMEOUT_SECONDS = 5

    #: ``smtp://host:port`` or a folder for ``.eml`` files.
    #: When unset: ``instance/mail/``.
    MAIL_URL: str | None = None
    #: Sender of every email, and ORGANIZER of every invite.
    MAIL_FROM = "Volunteer Hub <volunteer-hub@localhost>"
    #: Where replies go, for example the organisers' shared inbox; unset: none.
    MAIL_REPLY_TO: str | None = None
    #: An RSVP's confirmation is written by ``flask send-mail`` (true), so
    #: that a person under a surge waits for the booking alone, or by the
    #: request itself right after the booking commits (false).
    CONFIRMATIONS_BY_WORKER = True
    #: Seconds between two looks at the outbox in ``flask send-mail``.
    MAIL_POLL_INTERVAL = 5
    #: A message still undelivered after this many attempts is marked failed.
    MAIL_MAX_ATTEMPTS = 8

    #: Shown in the page header and in emails.
    CAMPAIGN_NAME = "International Emergency Campaign to Free Iran's Political Prisoners"

    #: Where people reach the site; used for links in emails.
    BASE_URL = "http://127.0.0.1:5000"

    #: Hours before an event that attendees get their reminder; 0 turns it off.
    REMINDER_HOURS_BEFORE = 24

    #: How long the link of "find my RSVPs and tasks" works.
    LOOKUP_LINK_MINUTES = 60
    #: At most one such link per address in this time, so nobody can flood an inbox.
    LOOKUP_THROTTLE_MINUTES = 5

    #: Retention (``flask purge-expired``, also run daily by ``flask send-mail``):
    #: days after an event ends, or after a volunteer's last task is over, that
    #: the people's names, addresses and other details go; the counts stay.
    RETENTION_DAYS = 30
    #: Days after a contact message is marked handled that it is deleted; 0 keeps them.
    RETENTION_CONTACT_DAYS = 90
    #: Days an offer of help is kept; 0 keeps them.
    RETENTION_OFFER_DAYS = 180
    #: Days after confirming that an endorsement of the appeal is deleted; 0
    #: keeps it while the appeal stands (its endorser can withdraw at any time).
    RETENTION_ENDORSEMENT_DAYS = 0

    #: werkzeug's scrypt: memory-hard, so stolen hashes are slow to crack.
    PASSWORD_HASH_METHOD = "scrypt"
    #: Sign-in attempts per address before a pause, and how long the pause lasts.
    LOGIN_MAX_FAILURES = 5
    LOGIN_THROTTLE_MINUTES = 15
    #: Admins must turn on two-factor sign-in (an authenticator app) before
    #: they can use any other console page.
    REQUIRE_2FA = False
    #: How long an emailed "reset your password" link works.
    PASSWORD_RESET_MINUTES = 60

    #: Rate limits (Flask-Limiter): where the counts live ("memory://", or
    #: VOLUNTEER_HUB_RATELIMIT_STORAGE_URL="redis://host:6379" for several
    #: servers), and how many posts one address may send.
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_ENABLED = True
    PUBLIC_POST_LIMIT = "30 per minute;300 per hour"
    LOGIN_POST_LIMIT = "10 per minute;60 per hour"
    #: Proxies in front of the app whose X-Forwarded-For and -Proto it trusts
    #: (1 for nginx; docs/deploy.md). 0 trusts neither, so no client can pose
    #: as another address; but behind a proxy every client then comes from the
    #: proxy's address and all share one rate limit.
    PROXY_COUNT = 0

    #: Public forms sent back faster than this are taken for bots.
    FORM_MIN_SECONDS = 3
    #: Where the donate button points; unset: no button.
    DONATE_URL: str | None = None

    #: Seconds each server process keeps a rendered event page before drawing
    #: it again from the database (only the form keys are made per visitor):
    #: the places left it shows may lag this much behind. 0 turns it off.
    PAGE_CACHE_SECONDS = 1.0

    #: Upcoming events shown per page on the home page.
    EVENTS_PER_PAGE = 20

    #: Largest poster, leaflet or flyer a coordinator may upload; those uploads
    #: alone may exceed MAX_CONTENT_LENGTH.
    MATERIALS_MAX_BYTES = 20 * 1024 * 1024

    MAX_CONTENT_LENGTH = 1024 * 1024
    #: None: secure cookies exactly when BASE_URL is https://
    SESSION_COOKIE_SECURE: bool | None = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    #: Flask-Login's "remember me" cookie, should it ever be used: the same rules.
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    #: A form left open for a day still submits.
    WTF_CSRF_TIME_LIMIT = 24 * 3600
    #: Flask-WTF's extra check on HTTPS that a post's Referer is this site:
    #: pages say ``Referrer-Policy: no-referrer`` (security.py), so browsers
    #: send no Referer and the check would refuse every form. The CSRF token,
    #: SameSite=Lax cookies and HSTS remain.
    WTF_CSRF_SSL_STRICT = False


class TestConfig(Config):
    """Settings for the test suite; tests add ``DATABASE_URL``."""

    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"
    WTF_CSRF_ENABLED = False
    MAIL_FROM = "Volunteer Hub <hub@example.org>"
    BASE_URL = "https://hub.example.org"
    #: the test client speaks plain HTTP
    SESSION_COOKIE_SECURE = False
    FORM_MIN_SECONDS = 0
    #: the request writes the confirmation, so tests read it at once;
    #: tests/rsvps/test_confirmation_later.py tests the worker's way
    CONFIRMATIONS_BY_WORKER = False
    #: pages show each change at once; tests/test_page_cache.py turns it on
    PAGE_CACHE_SECONDS = 0
    #: rate limits have their own tests, which turn them on
    RATELIMIT_ENABLED = False
    #: scrypt at a lower cost, so the suite stays fast; never in production
    PASSWORD_HASH_METHOD = "scrypt:1024:8:1"
