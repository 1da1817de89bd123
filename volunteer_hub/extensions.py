"""Flask extensions, created once and bound to the app in ``create_app``."""

from flask_migrate import Migrate
from flask_wtf import CSRFProtect

from volunteer_hub.database import db, render_migration_type

migrate = Migrate(compare_type=True, render_as_batch=True, render_item=render_migration_type)
csrf = CSRFProtect()

__all__ = ["csrf", "db", "migrate"]
