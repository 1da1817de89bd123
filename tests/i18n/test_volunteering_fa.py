"""Volunteering, the appeal, the contact form and the downloads page read in
Persian (and Spanish): headings, counts in Persian digits with the right
plural, and validation messages tied to the field they are about. People's
own data (task and event titles) stays as they entered it."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.helpers import signup_form, signup_path
from volunteer_hub.contact.models import ContactMessage, Topic
from volunteer_hub.extensions import db
from volunteer_hub.materials.models import Material

PERSIAN = {"Accept-Language": "fa-IR,fa;q=0.9"}
SPANISH = {"Accept-Language": "es-ES,es;q=0.9"}


def field_errors(html: str, field_id: str) -> str:
    """The error list tied to a field, which its input names in aria-describedby."""
    match = re.search(rf'<ul class="field-errors" id="{field_id}-errors">(.*?)</ul>', html, re.S)
    assert match, f"no error list for {field_id}"
    control = re.search(rf'<input[^>]* id="{field_id}"[^>]*>', html).group(0)
    assert f"{field_id}-errors" in re.search(r'aria-describedby="([^"]*)"', control).group(1)
    assert 'aria-invalid="true"' in control
    return match.group(1)


@pytest.fixture
def tasks(make_event, make_task):
    """A full task, one that needs four more, and an ongoing one open to all."""
    event = make_event(title="Afternoon of Solidarity")
    full = make_task(event, title="Set up chairs", min_volunteers=1, max_volunteers=1)
    make_task(event, title="Staff the literature table", min_volunteers=3, max_volunteers=4)
    make_task(title="Share on social media", min_volunteers=0, max_volunteers=None)
    return {"full": full}


def test_the_volunteer_page_speaks_persian(client, tasks):
    client.post("/volunteer", data=signup_form([tasks["full"]]))
    html = client.get("/volunteer", headers=PERSIAN).get_data(as_text=True)
    assert '<html lang="fa" dir="rtl">' in html
    assert "<h1>همکاری داوطلبانه</h1>" in html
    assert "این کارزار با نیروی داوطلبان پیش می‌رود." in html
    assert "همیشگی: هر زمان که بخواهید کمک کنید" in html
    assert "تکمیل: به فهرست انتظار بپیوندید" in html
    assert "۴ نفر دیگر لازم است" in html  # Persian digits
    assert "باز: همه خوش آمدند" in html
    assert "ثبت‌نام برای کارهای انتخاب‌شده" in html  # with its zero-width non-joiners
    # the titles are the coordinators' own words
    assert "Staff the literature table" in html and "Afternoon of Solidarity" in html
    for english in ("Needs 4 more", "Full: join the waitlist", "Ongoing: help any time",
                    "Sign up for the chosen tasks", "Offer to help"):
        assert english not in html


def test_a_persian_validation_message_is_tied_to_its_field(client, tasks):
    response = client.post("/volunteer", headers=PERSIAN,
                           data=signup_form([], phone="call me maybe"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "لطفاً فقط رقم بنویسید (فاصله، +، - و پرانتز هم مجاز است)." in field_errors(html, "phone")
    assert ('<ul class="field-errors" id="tasks-errors"><li>لطفاً دست‌کم یک کار را انتخاب کنید.</li>'
            in html)
    assert "<title>خطا:" in html


def test_the_sign_up_page_thanks_in_persian(client, tasks):
    manage = signup_path(client.post("/volunteer", headers=PERSIAN,
                                     data=signup_form([tasks["full"]], name="لیلا")))
    html = client.get(manage, headers=PERSIAN).get_data(as_text=True)
    assert "سپاس که داوطلب شدید!" in html
    assert "سپاسگزاریم، لیلا." in html
    assert "این کار با شماست" in html
    assert "کنار گذاشتن این کار" in html
    delete = client.get(f"{manage}/delete", headers=PERSIAN).get_data(as_text=True)
    assert "جایتان در ۱ کار" in delete and "بله، داده‌هایم را حذف کن" in delete


def test_counts_take_the_spanish_plural(client, tasks):
    client.post("/volunteer", data=signup_form([tasks["full"]]))
    html = client.get("/volunteer", headers=SPANISH).get_data(as_text=True)
    assert "Faltan 4 personas" in html and "Completa: apúntate a la lista de espera" in html
    assert "<h1>Voluntariado</h1>" in html


def test_the_appeal_and_its_form_in_persian(client):
    html = client.get("/appeal", headers=PERSIAN).get_data(as_text=True)
    assert "۰ نفر این فراخوان را امضا کرده است." in html
    assert "امضای فراخوان" in html and "هم‌رسانی در تلگرام" in html
    response = client.post("/appeal", headers=PERSIAN, data={"name": "", "email": "x@example.org"})
    assert "لطفاً نام خود را بنویسید." in field_errors(response.get_data(as_text=True), "name")


def test_the_contact_form_shows_topics_in_persian_and_stores_the_topic(client, fetch):
    html = client.get("/contact", headers=PERSIAN).get_data(as_text=True)
    assert "<legend>موضوع پیام چیست؟</legend>" in html
    assert "می‌خواهم در سازمان‌دهی کمک کنم" in html and "I want to help organise" not in html
    response = client.post("/contact", headers=PERSIAN, data={
        "name": "پریسا", "email": "parisa@example.org", "topic": "ORGANISE", "body": "x" * 6000})
    assert "لطفاً آن را کوتاه‌تر از ۵٬۰۰۰ نویسه نگه دارید." in response.get_data(as_text=True)
    client.post("/contact", headers=PERSIAN, data={
        "name": "پریسا", "email": "parisa@example.org", "topic": "ORGANISE", "body": "سلام"})
    [message] = fetch(sa.select(ContactMessage))
    assert message.topic is Topic.ORGANISE


def test_materials_give_format_and_size_in_persian(app, client):
    with app.app_context():
        db.session.add(Material(title="Poster", filename="a" * 32, content_type="image/png",
                                size_bytes=48 * 1024))
        db.session.commit()
    html = client.get("/materials", headers=PERSIAN).get_data(as_text=True)
    assert "<h1>پوستر، بروشور و تراکت</h1>" in html
    assert "<dd>تصویر PNG</dd>" in html and "<dd>۴۸ کیلوبایت</dd>" in html
    assert "(تصویر PNG، ۴۸ کیلوبایت)" in html
