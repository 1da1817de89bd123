"""The schema comes from migrations only, and they agree with the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from volunteer_hub import create_app
from volunteer_hub.extensions import db


def test_models_and_migrations_agree(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


def test_migrations_go_down_and_up_again(tmp_path):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"},
                     instance_path=str(tmp_path))
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        assert db.inspect(db.engine).get_table_names() == ["alembic_version"]
        upgrade()
        assert "rsvp" in db.inspect(db.engine).get_table_names()
        db.engine.dispose()


def test_db_upgrade_command_builds_a_fresh_database(tmp_path):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}"},
                     instance_path=str(tmp_path))
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert {"event", "venue", "rsvp", "outbox_message"} <= set(
            db.inspect(db.engine).get_table_names())
        db.engine.dispose()
