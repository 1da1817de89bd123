"""Flask extensions, created once and bound to the app in ``create_app``."""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_wtf import CSRFProtect

from volunteer_hub.database import db, render_migration_type

migrate = Migrate(compare_type=True, render_as_batch=True, render_item=render_migration_type)
csrf = CSRFProtect()
#: Counts requests per client address, in memory or in Redis, for a short
#: while only; nothing about the address is written to the database.
limiter = Limiter(key_func=get_remote_address)

__all__ = ["csrf", "db", "limiter", "migrate"]
