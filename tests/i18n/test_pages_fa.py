"""The public event page and the RSVP flow read in Persian, with Persian
digits and month names, and a Persian error message tied to its field; the
Spanish page has Spanish dates and counts."""

from __future__ import annotations

import re

import pytest
from babel.support import Translations

from tests.helpers import manage_path, rsvp_form
from volunteer_hub import i18n


def _translated(language: str, msgid: str) -> bool:
    catalogue = Translations.load(str(i18n.TRANSLATIONS), [language], "messages")
    return catalogue.gettext(msgid) != msgid


pytestmark = pytest.mark.skipif(
    not (_translated("fa", "Please check the form") and _translated("es", "Upcoming events")),
    reason="the compiled catalogues do not have the page translations yet (`make translations`)")


@pytest.fixture
def persian(client):
    client.set_cookie("language", "fa")
    return client


def test_the_persian_event_page_has_persian_texts_dates_and_counts(persian, make_event):
    event = make_event()
    page = persian.get(f"/events/{event.slug}").get_data(as_text=True)
    assert '<html lang="fa" dir="rtl">' in page
    for phrase in ("رفتن به محتوای اصلی", "رویدادها", "مکان", "هم‌رسانی این رویداد",
                   "چگونه شرکت می‌کنید؟", "حضوری: Revolution Books Harlem"):
        assert phrase in page
    # Persian day and month names and digits, and the city of the zone
    assert "شنبه ۲۵ سپتامبر ۲۰۲۷، ساعت ۱۵:۰۰ تا ۱۸:۰۰ به وقت نیویورک" in page
    assert "۱۰ جای خالی باقی مانده" in page
    assert "Saturday" not in page and "EDT" not in page


def test_a_persian_rsvp_lands_on_a_persian_manage_page(persian, make_event):
    event = make_event()
    path = manage_path(persian.post(f"/events/{event.slug}/rsvp",
                                    data=rsvp_form(event.venues[0], guests="2")))
    page = persian.get(path).get_data(as_text=True)
    for phrase in ("منتظرتان هستیم!", "حضوری در Revolution Books Harlem", "پیوند شخصی شما",
                   "لغو ثبت‌نامم", "داده‌های شما"):
        assert phrase in page
    assert "<dd>۲</dd>" in page  # guests

    page = persian.get(f"{path}/cancel").get_data(as_text=True)
    assert "دارید ثبت‌نام خود و ۲ مهمانتان را برای <strong>" in page


def test_a_persian_error_is_summarised_and_tied_to_its_field(persian, make_event):
    event = make_event()
    response = persian.post(f"/events/{event.slug}/rsvp",
                            data=rsvp_form(event.venues[0], email="not-an-address"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    message = "لطفاً یک نشانی ایمیل معتبر وارد کنید."
    assert "<h2>لطفاً فرم را بررسی کنید</h2>" in page
    assert f'<a href="#email">{message}</a>' in page
    assert re.search(rf'<ul class="field-errors" id="email-errors">\s*<li>{message}</li>', page)
    field = re.search(r'<input[^>]*id="email"[^>]*>', page).group(0)
    assert 'aria-describedby="email-hint email-errors"' in field
    assert 'aria-invalid="true"' in field


def test_a_persian_guest_limit_speaks_persian_digits(persian, make_event):
    event = make_event(guest_limit=3)
    response = persian.post(f"/events/{event.slug}/rsvp",
                            data=rsvp_form(event.venues[0], guests="9"))
    assert response.status_code == 422
    assert "می‌توانید حداکثر ۳ مهمان همراه بیاورید." in response.get_data(as_text=True)


def test_the_spanish_event_page_has_spanish_dates_and_counts(client, make_event):
    client.set_cookie("language", "es")
    event = make_event()
    page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "sábado, 25 de septiembre de 2027, de 15:00 a 18:00 (hora de Nueva York)" in page
    assert "Quedan 10 plazas" in page
    assert "Confirmar asistencia" in page


def test_wtforms_own_messages_come_in_each_visitors_language(app, persian, make_event):
    event = make_event(online=False)
    english = app.test_client()
    for visitor, message in ((persian, "انتخاب درستی نیست."), (english, "Not a valid choice."),
                             (persian, "انتخاب درستی نیست.")):
        response = visitor.post(f"/events/{event.slug}/rsvp", data=rsvp_form("online"))
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
