"""The outbox is delivered to a real SMTP server (or a folder), retried with
backoff when the server is away, and emptied of content once sent."""

from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes, message_from_string, policy

import pytest
import sqlalchemy as sa

from tests.helpers import free_port, manage_path, rsvp_form, text_of
from volunteer_hub.database import utcnow
from volunteer_hub.mail.compose import build_message
from volunteer_hub.mail.delivery import deliver_due, deliver_one
from volunteer_hub.mail.models import MessageStatus, OutboxMessage
from volunteer_hub.mail.transports import FolderTransport, SmtpTransport, transport_from_url


def test_confirmation_reaches_a_real_smtp_server(app, client, make_event, fetch, smtp_server):
    controller, inbox = smtp_server
    event = make_event()
    path = manage_path(client.post(f"/events/{event.slug}/rsvp",
                                   data=rsvp_form(event.venues[0], name="Shirin")))

    with app.app_context():
        assert deliver_due(SmtpTransport(controller.hostname, controller.port)) == 1

    [received] = inbox.messages
    assert received["To"] == "Shirin <shirin@example.org>"
    assert received["From"] == "Volunteer Hub <hub@example.org>"
    assert f"https://hub.example.org{path}" in text_of(received)
    assert f'href="https://hub.example.org{path}"' in received.get_body(("html",)).get_content()
    [message] = fetch(sa.select(OutboxMessage))
    assert message.status is MessageStatus.SENT
    assert message.sent_at is not None
    assert message.mime is None  # the manage link does not outlive delivery


def test_unreachable_server_is_retried_later_with_backoff(app, client, make_event, fetch):
    event = make_event()
    client.post(f"/events/{event.slug}/rsvp", data=rsvp_form(event.venues[0]))
    down = SmtpTransport("127.0.0.1", free_port(), timeout=2)

    with app.app_context():
        before = utcnow()
        first = deliver_one(down)
        assert first.status is MessageStatus.PENDING
        assert first.attempts == 1
        assert "ConnectionRefusedError" in first.last_error
        assert first.next_attempt_at >= before + timedelta(minutes=1)
        assert deliver_one(down) is None  # not due yet

        second = deliver_one(down, now=first.next_attempt_at)
        assert second.attempts == 2
        assert second.next_attempt_at >= first.next_attempt_at + timedelta(minutes=2)
    assert fetch(sa.select(OutboxMessage))[0].mime  # nothing lost


def test_gives_up_after_the_configured_attempts(app, client, make_event):
    app.config["MAIL_MAX_ATTEMPTS"] = 2
    event = make_event()
    client.post(f"/events/{event.slug}/rsvp", data=rsvp_form(event.venues[0]))
    down = SmtpTransport("127.0.0.1", free_port(), timeout=2)
    with app.app_context():
        later = utcnow() + timedelta(days=1)
        deliver_one(down)
        final = deliver_one(down, now=later)
        assert (final.status, final.attempts) == (MessageStatus.FAILED, 2)


def test_refused_recipient_fails_at_once(app, client, make_event, smtp_server):
    controller, inbox = smtp_server
    event = make_event()
    client.post(f"/events/{event.slug}/rsvp",
                data=rsvp_form(event.venues[0], email="nobody@refused.example"))
    with app.app_context():
        message = deliver_one(SmtpTransport(controller.hostname, controller.port))
        assert message.status is MessageStatus.FAILED
        assert "550" in message.last_error
    assert inbox.messages == []


def test_folder_transport_writes_eml_files_a_newcomer_can_open(app, client, make_event, tmp_path):
    event = make_event()
    client.post(f"/events/{event.slug}/rsvp", data=rsvp_form(event.venues[0]))
    folder = tmp_path / "mail"
    with app.app_context():
        assert deliver_due(transport_from_url(str(folder))) == 1
    [eml] = folder.glob("*.eml")
    message = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert message["Subject"] == f"RSVP confirmed: {event.title}"


def test_send_mail_command_drains_the_outbox(app, client, runner, make_event, tmp_path, fetch):
    event = make_event()
    client.post(f"/events/{event.slug}/rsvp", data=rsvp_form(event.venues[0]))
    client.post(f"/events/{event.slug}/rsvp", data=rsvp_form("online"))
    result = runner.invoke(args=["send-mail", "--once"])
    assert result.exit_code == 0, result.output
    assert "Tried 2 message(s)." in result.output
    assert len(list((tmp_path / "mail").glob("*.eml"))) == 2
    assert {m.status for m in fetch(sa.select(OutboxMessage))} == {MessageStatus.SENT}


@pytest.mark.parametrize("field", ["to_name", "subject"])
def test_line_breaks_cannot_add_headers(app, field):
    values = {"to_name": "Shirin", "to_email": "shirin@example.org", "subject": "Hello",
              "text": "body", "html": "<p>body</p>"}
    values[field] = "Innocent\r\nBcc: victim@example.org"
    with app.app_context():
        raw = build_message(**values).as_string()
    parsed = message_from_string(raw, policy=policy.default)
    assert parsed["Bcc"] is None
    assert [a.addr_spec for a in parsed["To"].addresses] == ["shirin@example.org"]
    assert "\r\nBcc:" not in raw


def test_transport_urls():
    smtp = transport_from_url("smtps://user%40x:p%3Ass@mail.example.org")
    assert (smtp.host, smtp.port, smtp.use_ssl, smtp.username, smtp.password) == (
        "mail.example.org", 465, True, "user@x", "p:ss")
    plain = transport_from_url("smtp://127.0.0.1:2525")
    assert (plain.port, plain.use_ssl, plain.username) == (2525, False, None)
    assert isinstance(transport_from_url("file:///var/mail/hub"), FolderTransport)
    with pytest.raises(ValueError):
        transport_from_url("http://example.org")


class Exploding:
    """A transport that fails in a way no mail library anticipates."""

    def send(self, sender, recipient, mime, name):
        raise UnicodeEncodeError("ascii", "ü", 0, 1, "not ASCII")


def test_an_unexpected_error_fails_that_message_and_delivery_goes_on(
    app, client, make_event, fetch
):
    event = make_event()
    client.post(f"/events/{event.slug}/rsvp", data=rsvp_form(event.venues[0]))
    client.post(f"/events/{event.slug}/rsvp", data=rsvp_form("online"))
    with app.app_context():
        assert deliver_due(Exploding()) == 2
    messages = fetch(sa.select(OutboxMessage))
    assert {m.status for m in messages} == {MessageStatus.FAILED}
    assert all(m.mime is None and "UnicodeEncodeError" in m.last_error for m in messages)


def test_a_message_whose_worker_died_is_given_up_after_the_last_attempt(
    app, client, make_event, fetch
):
    app.config["MAIL_MAX_ATTEMPTS"] = 1
    event = make_event()
    client.post(f"/events/{event.slug}/rsvp", data=rsvp_form(event.venues[0]))
    with app.app_context():
        from volunteer_hub.mail.delivery import LEASE, claim_due_message

        assert claim_due_message(utcnow()) is not None  # ... and the worker dies here
        assert claim_due_message(utcnow() + LEASE + timedelta(seconds=1)) is None
    [message] = fetch(sa.select(OutboxMessage))
    assert (message.status, message.mime) == (MessageStatus.FAILED, None)


def test_a_message_deleted_while_being_sent_is_not_an_error(app, client, make_event, fetch):
    event = make_event()
    client.post(f"/events/{event.slug}/rsvp", data=rsvp_form(event.venues[0]))
    other_process = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"])

    class DeleteWhileSending:
        """The person deletes their data (and so this message) meanwhile."""

        def send(self, sender, recipient, mime, name):
            with other_process.begin() as connection:
                connection.execute(sa.text("DELETE FROM outbox_message"))

    with app.app_context():
        attempt = deliver_one(DeleteWhileSending())
        assert attempt is not None
        assert deliver_one(DeleteWhileSending()) is None
    other_process.dispose()
    assert fetch(sa.select(OutboxMessage)) == []


def test_a_password_is_never_sent_without_tls(app, client, make_event, smtp_server, fetch):
    controller, inbox = smtp_server
    event = make_event()
    client.post(f"/events/{event.slug}/rsvp", data=rsvp_form(event.venues[0]))
    transport = SmtpTransport(controller.hostname, controller.port, username="hub",
                              password="secret")
    with app.app_context():
        attempt = deliver_one(transport)
    assert attempt.status is MessageStatus.PENDING
    assert "refusing to send the password in clear" in attempt.last_error
    assert inbox.messages == []


def test_reply_to_is_configurable_and_safe(app):
    app.config["MAIL_REPLY_TO"] = "Organisers <organisers@example.org>"
    with app.app_context():
        message = build_message(to_name="Shirin", to_email="shirin@example.org",
                                subject="Hello", text="body", html="<p>body</p>")
    assert message["Reply-To"] == "Organisers <organisers@example.org>"
    assert message["From"] == "Volunteer Hub <hub@example.org>"
