"""Coordinators enter an event's title and description in Persian and
Spanish: saved, previewed, removed and audited; bad input is refused."""

from __future__ import annotations

import sqlalchemy as sa

from tests.conftest import PASSWORD
from volunteer_hub.coordinators.models import AuditEntry
from volunteer_hub.events.models import EventTranslation

FA_TITLE = "بعدازظهری از همبستگی"
FA_DESCRIPTION = "برای **زندانیان سیاسی** بیایید."
ES_TITLE = "Una tarde de solidaridad"


def translate(coordinator, event, language, **fields):
    data = {f"{language}-{name}": value for name, value in fields.items()}
    return coordinator.post(f"/console/events/{event.id}/translations/{language}", data=data)


def test_coordinators_edit_and_remove_translations_and_each_change_is_audited(
        coordinator, make_event, fetch):
    event = make_event()
    page = coordinator.get(f"/console/events/{event.id}/translations")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="fa-title"' in html and 'dir="rtl"' in html and 'id="es-title"' in html

    translate(coordinator, event, "fa", title=FA_TITLE, description=FA_DESCRIPTION)
    translate(coordinator, event, "fa", title=FA_TITLE + "!", description=FA_DESCRIPTION)
    rows = fetch(sa.select(EventTranslation))
    assert [(t.language, t.title) for t in rows] == [("fa", FA_TITLE + "!")]
    html = coordinator.get(f"/console/events/{event.id}/translations").get_data(as_text=True)
    assert FA_TITLE + "!" in html and "Persian translation saved." in html

    response = coordinator.post(f"/console/events/{event.id}/translations/fa/remove")
    assert response.status_code == 303
    assert fetch(sa.select(EventTranslation)) == []
    actions = [(a.action, a.detail) for a in fetch(sa.select(AuditEntry).order_by(AuditEntry.id))
               if a.action.startswith("translation.")]
    assert actions == [("translation.save", f"Persian of {event.title}")] * 2 + [
        ("translation.remove", f"Persian of {event.title}")]

    # Saving both fields empty removes it too.
    translate(coordinator, event, "es", title=ES_TITLE, description="")
    translate(coordinator, event, "es", title="", description="")
    assert fetch(sa.select(EventTranslation)) == []


def test_the_description_can_be_previewed_without_saving(coordinator, make_event, fetch):
    event = make_event()
    response = coordinator.post(f"/console/events/{event.id}/translations/fa", data={
        "fa-title": FA_TITLE, "fa-description": FA_DESCRIPTION, "preview": "1"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<strong>زندانیان سیاسی</strong>" in html and f'value="{FA_TITLE}"' in html
    assert fetch(sa.select(EventTranslation)) == []


def test_bad_translations_are_refused_with_a_message(coordinator, make_event, fetch):
    event = make_event()
    for language, fields, message in (
        ("fa", {"title": "x" * 201}, "Field cannot be longer than 200 characters."),
        ("fa", {"title": "line\u202eforged"}, "Please use letters, digits and punctuation"),
        ("es", {"description": "x" * 20_001}, "cannot be longer than 20000 characters"),
    ):
        response = translate(coordinator, event, language, **fields)
        assert response.status_code == 422, fields
        assert message in response.get_data(as_text=True), fields
    assert coordinator.post(f"/console/events/{event.id}/translations/de",
                            data={"de-title": "Nachmittag"}).status_code == 404
    assert coordinator.post(f"/console/events/{event.id}/translations/en",
                            data={"en-title": "Afternoon"}).status_code == 404
    assert coordinator.post("/console/events/9999/translations/fa",
                            data={"fa-title": "x"}).status_code == 404
    assert fetch(sa.select(EventTranslation)) == []


def test_translations_need_a_signed_in_coordinator(client, make_event):
    event = make_event()
    assert client.get(f"/console/events/{event.id}/translations").status_code == 302
    response = client.post(f"/console/events/{event.id}/translations/fa",
                           data={"fa-title": "x"})
    assert response.status_code == 302


def test_translation_forms_need_their_csrf_token(csrf_app, make_coordinator, make_event, fetch):
    event = make_event()
    make_coordinator("admin@example.org", admin=True)
    client = csrf_app.test_client()
    page = client.get("/console/login").get_data(as_text=True)
    csrf = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post("/console/login", data={"email": "admin@example.org", "password": PASSWORD,
                                        "csrf_token": csrf})
    assert client.post(f"/console/events/{event.id}/translations/fa",
                       data={"fa-title": FA_TITLE}).status_code == 400
    assert client.post(f"/console/events/{event.id}/translations/fa/remove").status_code == 400
    assert fetch(sa.select(EventTranslation)) == []
