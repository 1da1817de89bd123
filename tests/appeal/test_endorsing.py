"""Endorsing the appeal: confirmed from an emailed link, counted, and shown by
name only for those who agree; the same answer for known addresses."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.appeal.conftest import email_long_ago, link_in
from volunteer_hub.appeal.models import Endorsement
from volunteer_hub.database import utcnow
from volunteer_hub.extensions import db

PUBLIC_PAGES = ("/appeal", "/appeal?thanks=1", "/appeal?page=2", "/", "/volunteer")


def endorsements(fetch) -> list[Endorsement]:
    return fetch(sa.select(Endorsement).order_by(Endorsement.id))


def confirm(client, outbox, **details) -> str:
    """Open the link of the last email and press the button; return the link."""
    path = link_in(outbox()[-1])
    form = {"name": "Shirin", "show_name": "y", **details}
    assert client.post(path, data={k: v for k, v in form.items() if v is not None}
                       ).status_code == 303
    client.get(path)  # shows, and so clears, the "confirmed" notice
    return path


def appeal_page(client) -> str:
    """The appeal page, without the form's time stamp, which moves every second."""
    return re.sub(r'name="started" type="hidden" value="[^"]*"', "",
                  client.get("/appeal").get_data(as_text=True))


def public_text(client) -> str:
    return "".join(client.get(page).get_data(as_text=True) for page in PUBLIC_PAGES)


def test_an_endorsement_counts_once_confirmed_from_the_emailed_link(
    client, endorsement_form, fetch, outbox
):
    response = client.post("/appeal", data=endorsement_form(
        name="Shirin Ebadi-Test", city="Toronto", affiliation="Teachers' union"))
    assert response.status_code == 303
    assert response.headers["Location"] == "/appeal?thanks=1#endorse"
    thanks = client.get("/appeal?thanks=1").get_data(as_text=True)
    assert "Please open the link in it to confirm your endorsement" in thanks
    assert "0 people have endorsed" in thanks and "Shirin Ebadi-Test" not in thanks

    [message] = outbox()
    assert message["To"] == "Shirin Ebadi-Test <shirin@example.org>"
    assert message["Subject"] == "Please confirm your endorsement of the appeal"
    path = link_in(message)
    page = client.get(path).get_data(as_text=True)
    assert "Confirm your endorsement" in page and 'value="Toronto"' in page
    # Opening the link (as mail scanners do) confirms nothing.
    assert endorsements(fetch)[0].confirmed_at is None

    response = client.post(path, data={"name": "Shirin Ebadi-Test", "city": "Toronto",
                                       "affiliation": "Teachers' union", "show_name": "y"})
    assert response.status_code == 303 and response.headers["Location"] == path
    assert "confirmed and counted" in client.get(path).get_data(as_text=True)
    html = client.get("/appeal").get_data(as_text=True)
    assert "1 person has endorsed" in html
    assert ("<bdi>Shirin Ebadi-Test</bdi>, <bdi>Toronto</bdi> "
            "(<bdi>Teachers&#39; union</bdi>)") in html
    assert "shirin@example.org" not in html


def test_show_my_name_is_unticked_by_default_and_only_those_who_agree_are_named(
    client, endorsement_form, fetch, outbox
):
    page = client.get("/appeal").get_data(as_text=True)
    checkbox = page[page.index('<input aria-describedby="show_name-hint"'):]
    assert "checked" not in checkbox[:checkbox.index(">")]

    # A browser sends nothing for an unticked box.
    client.post("/appeal", data=endorsement_form(
        name="Quiet Person", email="quiet@example.org", city="Mashhad",
        affiliation="Secret Society", show_name=None))
    confirm(client, outbox, name="Quiet Person", city="Mashhad", affiliation="Secret Society",
            show_name=None)
    client.post("/appeal", data=endorsement_form(name="Open Person", email="open@example.org"))
    confirm(client, outbox, name="Open Person")

    assert [e.show_name for e in endorsements(fetch)] == [False, True]
    assert "2 people have endorsed" in client.get("/appeal").get_data(as_text=True)
    text = public_text(client)
    assert "Open Person" in text
    for private in ("Quiet Person", "Mashhad", "Secret Society", "quiet@example.org",
                    "open@example.org"):
        assert private not in text


def test_an_address_that_already_endorsed_gets_the_same_answer_and_changes_nothing(
    app, client, endorsement_form, fetch, outbox
):
    first = client.post("/appeal", data=endorsement_form(name="Shirin", show_name=None))
    confirm(client, outbox, name="Shirin", show_name=None)
    before = appeal_page(client)

    # Someone else types Shirin's address, wanting her named publicly.
    again = client.post("/appeal", data=endorsement_form(
        name="Shirin Exposed", email="SHIRIN@Example.org", city="Tehran", show_name="y"))
    assert (again.status_code, again.headers["Location"]) == (
        first.status_code, first.headers["Location"])
    assert appeal_page(client) == before
    [endorsement] = endorsements(fetch)
    assert (endorsement.name, endorsement.city, endorsement.show_name) == ("Shirin", "", False)
    assert len(outbox()) == 1  # emailed a moment ago: no second email yet

    email_long_ago(app, endorsement.id)
    client.post("/appeal", data=endorsement_form(name="Shirin Exposed"))
    message = outbox()[-1]
    assert message["Subject"] == "You have already endorsed the appeal"
    assert message["To"] == "Shirin <shirin@example.org>"
    assert link_in(message) == link_in(outbox()[0])
    assert "Shirin Exposed" not in message.as_string()
    assert len(endorsements(fetch)) == 1
    assert "Shirin Exposed" not in public_text(client)


def test_an_unconfirmed_address_typed_again_gets_its_link_again(
    app, client, endorsement_form, fetch, outbox
):
    client.post("/appeal", data=endorsement_form(name="Shirin"))
    [endorsement] = endorsements(fetch)
    email_long_ago(app, endorsement.id)
    client.post("/appeal", data=endorsement_form(name="Someone Else"))
    first, second = outbox()
    assert second["Subject"] == "Please confirm your endorsement of the appeal"
    assert link_in(first) == link_in(second)
    assert [e.name for e in endorsements(fetch)] == ["Shirin"]


def test_the_endorser_changes_their_details_or_withdraws_from_their_link(
    client, endorsement_form, fetch, outbox
):
    client.post("/appeal", data=endorsement_form(name="Shirin", city="Paris"))
    path = confirm(client, outbox, name="Shirin", city="Paris")
    assert "Shirin" in client.get("/appeal").get_data(as_text=True)

    assert client.post(path, data={"name": "Sh.", "city": ""}).status_code == 303
    assert "Your changes are saved" in client.get(path).get_data(as_text=True)
    [endorsement] = endorsements(fetch)
    assert (endorsement.name, endorsement.city, endorsement.show_name) == ("Sh.", "", False)
    html = client.get("/appeal").get_data(as_text=True)
    assert "1 person has endorsed" in html and "Sh." not in html and "Paris" not in html

    invalid = client.post(path, data={"name": "", "show_name": "y"})
    assert invalid.status_code == 422
    assert "Please enter your name." in invalid.get_data(as_text=True)

    assert client.get(f"{path}/withdraw").status_code == 405
    response = client.post(f"{path}/withdraw")
    assert response.status_code == 303 and response.headers["Location"] == "/appeal"
    assert "withdrawn and your details deleted" in client.get("/appeal").get_data(as_text=True)
    assert endorsements(fetch) == []
    assert "0 people have endorsed" in client.get("/appeal").get_data(as_text=True)
    assert client.get(path).status_code == 404
    assert client.post(path, data={"name": "Back"}).status_code == 404


def test_withdrawing_drops_mail_not_yet_sent_and_unknown_links_open_nothing(
    client, endorsement_form, fetch, outbox
):
    client.post("/appeal", data=endorsement_form())
    path = link_in(outbox()[0])
    client.post(f"{path}/withdraw")
    assert outbox() == []
    assert client.get("/appeal/endorsement/not-a-real-token").status_code == 404
    assert client.post("/appeal/endorsement/xyz/withdraw").status_code == 404


def test_unconfirmed_endorsements_are_forgotten_after_a_week(
    app, client, endorsement_form, fetch, make_endorsement
):
    stale = make_endorsement(confirmed=False, name="Never Confirmed")
    confirmed = make_endorsement(name="Confirmed Long Ago")
    with app.app_context():
        for endorsement_id in (stale, confirmed):
            db.session.get(Endorsement, endorsement_id).created_at = utcnow() - timedelta(days=8)
        db.session.commit()
    client.post("/appeal", data=endorsement_form())
    assert [e.name for e in endorsements(fetch)] == ["Confirmed Long Ago", "Shirin"]


def test_names_are_paginated_newest_first(app, client, make_endorsement, monkeypatch):
    monkeypatch.setattr("volunteer_hub.appeal.routes.NAMES_PER_PAGE", 2)
    for number in range(1, 6):
        make_endorsement(name=f"Person {number}")
    make_endorsement(name="Anonymous", show_name=False)
    first = client.get("/appeal").get_data(as_text=True)
    assert "6 people have endorsed" in first
    assert first.index("Person 5") < first.index("Person 4") and "Person 3" not in first
    assert "Page 1 of 3" in first and 'href="/appeal?page=2#endorsers"' in first
    last = client.get("/appeal?page=3").get_data(as_text=True)
    assert "Person 1" in last and "Person 2" not in last
    assert "Anonymous" not in first + last
    assert client.get("/appeal?page=99").status_code == 200
    assert client.get("/appeal?page=-5").status_code == 200


def test_everyone_anonymous_says_so(client, make_endorsement):
    make_endorsement(name="Hidden Name", show_name=False)
    html = client.get("/appeal").get_data(as_text=True)
    assert "chose not to show their name" in html and "Hidden Name" not in html


LONG = "x" * 100_000


@pytest.mark.parametrize(("field", "value", "message"), [
    ("name", "Shirin\r\nBcc: victim@example.org", "Please use letters, digits and punctuation"),
    ("name", "Shirin\n", None),  # stripped: fine
    ("name", LONG, "Field cannot be longer than 100 characters."),
    ("name", "", "Please enter your name."),
    ("name", "   ", "Please enter your name."),
    ("name", "\u202eevil\u202c", "Please use letters, digits and punctuation"),
    ("city", LONG, "Field cannot be longer than 100 characters."),
    ("city", "Teh\rran", "Please use letters, digits and punctuation"),
    ("affiliation", LONG, "Field cannot be longer than 200 characters."),
    ("email", LONG + "@example.org", "Field cannot be longer than 254 characters."),
    ("email", "not an address", "Please enter a valid email address."),
    ("email", "a@example.org\r\nBcc: b@example.org", "Please enter a valid email address."),
    ("email", "", "Please enter your email address."),
    ("started", "forged", "This form has expired."),
    ("started", LONG, "This form has expired."),
    ("website", "http://spam.example", "This form looks automated."),
    ("show_name", LONG, None),  # any value means ticked
])
def test_bad_input_gets_a_clear_answer_never_a_500(
    client, endorsement_form, fetch, outbox, field, value, message
):
    response = client.post("/appeal", data=endorsement_form(**{field: value}))
    if message is None:
        assert response.status_code == 303
        assert len(endorsements(fetch)) == 1
        return
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html and "Please check the form" in html
    assert "<title>Error: The appeal" in html
    assert endorsements(fetch) == [] and outbox() == []


def test_markup_and_right_to_left_names_are_kept_and_shown_as_text(
    client, endorsement_form, fetch, outbox
):
    script = '<script>alert("x")</script>'
    client.post("/appeal", data=endorsement_form(name=script, email="a@example.org",
                                                 city="<b>city</b>"))
    confirm(client, outbox, name=script, city="<b>city</b>")
    persian = "شیرین عبادی"
    client.post("/appeal", data=endorsement_form(
        name=persian, email="b@example.org", city="تهران", affiliation="کانون\u200cنویسندگان"))
    confirm(client, outbox, name=persian, city="تهران", affiliation="کانون\u200cنویسندگان")

    assert [e.name for e in endorsements(fetch)] == [script, persian]
    html = client.get("/appeal").get_data(as_text=True)
    assert "<script>" not in html and "<b>city" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert f"<bdi>{persian}</bdi>, <bdi>تهران</bdi> (<bdi>کانون\u200cنویسندگان</bdi>)" in html


def test_a_form_with_errors_keeps_what_was_typed_and_a_fresh_stamp(client, endorsement_form):
    response = client.post("/appeal", data=endorsement_form(email="nope", city="Berlin",
                                                            started="forged"))
    html = response.get_data(as_text=True)
    assert 'value="Berlin"' in html and 'value="nope"' in html
    assert 'name="started" type="hidden" value="forged"' not in html


def test_the_honeypot_sits_in_a_hidden_box_and_is_the_last_field(client):
    html = client.get("/appeal").get_data(as_text=True)
    form = html[html.index('<form method="post" action="/appeal'):]
    form = form[:form.index("</form>")]
    box = form[form.index('<div class="honeypot">'):]
    assert 'name="website"' in box and 'tabindex="-1"' in box
    assert form.index('name="show_name"') < form.index('name="website"')
    assert 'name="started" type="hidden"' in form


@pytest.mark.slow
def test_the_same_address_sent_at_once_gives_one_endorsement(app, endorsement_form, fetch):
    forms = [endorsement_form(name=f"Attempt {number}", email="same@example.org")
             for number in range(6)]
    barrier = threading.Barrier(len(forms))
    statuses: list[int] = []

    def send(form):
        client = app.test_client()
        barrier.wait()
        statuses.append(client.post("/appeal", data=form).status_code)

    threads = [threading.Thread(target=send, args=(form,)) for form in forms]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [303] * len(forms)
    assert len(endorsements(fetch)) == 1
