"""Lists of people that leave the console are written to the audit log."""

from __future__ import annotations

import sqlalchemy as sa

from volunteer_hub.coordinators.models import AuditEntry


def test_printing_and_exporting_are_audited(coordinator, make_event, make_task, fetch):
    event = make_event()
    task = make_task(event, title="Leaflets")
    coordinator.get(f"/console/events/{event.id}/attendance")
    coordinator.get(f"/console/events/{event.id}/attendance.csv?venue={event.venues[0].id}")
    coordinator.get(f"/console/tasks/{task}/roster.csv")
    entries = fetch(sa.select(AuditEntry).where(AuditEntry.action != "coordinator.login")
                    .order_by(AuditEntry.id))
    assert [(e.action, e.coordinator_name) for e in entries] == [
        ("attendance.print", "Admin"), ("attendance.export", "Admin"), ("roster.export", "Admin")]
    assert "Revolution Books Harlem" in entries[1].detail
