"""`flask seed-demo` loads the campaign's two real events, once."""

from __future__ import annotations

import sqlalchemy as sa

from volunteer_hub.events.models import Event, EventStatus


def test_seed_demo_loads_both_events_and_is_idempotent(runner, client, fetch):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "Added" in first.output
    second = runner.invoke(args=["seed-demo"])
    assert "Demo data already present." in second.output

    events = {e.slug: e for e in fetch(sa.select(Event).options(
        sa.orm.selectinload(Event.venues)))}
    assert set(events) == {"afternoon-of-solidarity-2027", "un-press-conference"}
    afternoon = events["afternoon-of-solidarity-2027"]
    assert afternoon.status is EventStatus.PUBLISHED and afternoon.online
    assert [v.name for v in afternoon.venues] == [
        "Revolution Books Harlem", "Revolution Books Berkeley"]
    assert events["un-press-conference"].starts_at is None

    home = client.get("/").get_data(as_text=True)
    assert "Saturday 25 September 2027, 3:00 pm – 6:00 pm EDT" in home
    assert "Date and time to be announced" in home
    page = client.get("/events/afternoon-of-solidarity-2027").get_data(as_text=True)
    assert "437 Malcolm X Blvd @ 132nd St., New York" in page
    assert "Saturday 25 September 2027, 3:00 pm – 6:00 pm PDT" in page  # Berkeley, local time
    assert 'value="online"' in page


def test_seed_demo_on_an_empty_database_says_what_to_do(tmp_path):
    from volunteer_hub import create_app
    from volunteer_hub.extensions import db

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"},
                     instance_path=str(tmp_path))
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 1
    assert "Run `flask --app volunteer_hub db upgrade` first." in result.output
    with app.app_context():
        db.engine.dispose()
