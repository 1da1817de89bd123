"""Event titles and descriptions in Persian and Spanish: entered by
coordinators, shown on the public pages in the reader's language, with the
original wherever a translation is missing."""

from __future__ import annotations

from tests.helpers import manage_path, rsvp_form

FA_TITLE = "بعدازظهری از همبستگی"
FA_DESCRIPTION = "برای **زندانیان سیاسی** بیایید."
ES_TITLE = "Una tarde de solidaridad"
FARSI = {"Accept-Language": "fa"}
SPANISH = {"Accept-Language": "es"}


def translate(coordinator, event, language, **fields):
    data = {f"{language}-{name}": value for name, value in fields.items()}
    return coordinator.post(f"/console/events/{event.id}/translations/{language}", data=data)


def test_translated_title_and_description_on_the_home_and_event_pages(
        client, coordinator, make_event):
    event = make_event(title="Afternoon of Solidarity")
    assert translate(coordinator, event, "fa", title=FA_TITLE,
                     description=FA_DESCRIPTION).status_code == 303
    assert translate(coordinator, event, "es", title=ES_TITLE).status_code == 303

    home = client.get("/", headers=FARSI).get_data(as_text=True)
    assert FA_TITLE in home and "Afternoon of Solidarity" not in home
    page = client.get(f"/events/{event.slug}", headers=FARSI).get_data(as_text=True)
    assert f"<h1>{FA_TITLE}</h1>" in page
    assert "<strong>زندانیان سیاسی</strong>" in page
    assert f'<meta property="og:title" content="{FA_TITLE}">' in page
    assert "<em>afternoon</em>" not in page

    # Spanish has a title only: the description falls back to the original.
    page = client.get(f"/events/{event.slug}", headers=SPANISH).get_data(as_text=True)
    assert f"<h1>{ES_TITLE}</h1>" in page and "<em>afternoon</em>" in page

    # English readers see the original.
    page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "<h1>Afternoon of Solidarity</h1>" in page and FA_TITLE not in page


def test_without_a_translation_the_original_is_shown(client, make_event):
    event = make_event(title="Vigil for the prisoners")
    for headers in (FARSI, SPANISH):
        assert "Vigil for the prisoners" in client.get("/", headers=headers).get_data(
            as_text=True)
        page = client.get(f"/events/{event.slug}", headers=headers).get_data(as_text=True)
        assert "<h1>Vigil for the prisoners</h1>" in page and "<em>afternoon</em>" in page


def test_the_manage_page_shows_the_title_in_the_readers_language(
        client, coordinator, make_event):
    event = make_event(title="Afternoon of Solidarity")
    translate(coordinator, event, "fa", title=FA_TITLE, description="")
    path = manage_path(client.post(f"/events/{event.slug}/rsvp",
                                   data=rsvp_form(event.venues[0]), headers=FARSI))
    assert FA_TITLE in client.get(path, headers=FARSI).get_data(as_text=True)
    assert FA_TITLE not in client.get(path).get_data(as_text=True)


def test_the_volunteer_page_heads_each_event_group_with_the_translated_title(
        client, coordinator, make_event, make_task):
    event = make_event(title="Afternoon of Solidarity")
    make_task(event=event, title="Set up chairs")
    translate(coordinator, event, "fa", title=FA_TITLE, description="")
    page = client.get("/volunteer", headers=FARSI).get_data(as_text=True)
    assert f">{FA_TITLE}</a></h2>" in page and "Afternoon of Solidarity" not in page


def test_the_demo_events_come_in_persian_and_spanish(runner, client):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    home = client.get("/", headers=FARSI).get_data(as_text=True)
    assert "کنفرانس خبری در سازمان ملل: زندانیان سیاسی ایران را آزاد کنید" in home
    page = client.get("/events/un-press-conference", headers=SPANISH).get_data(as_text=True)
    assert "<h1>Conferencia de prensa en la ONU: libertad para los presos políticos de Irán</h1>" \
        in page
    assert "Outdoors on the plaza, step-free from the street." in page
