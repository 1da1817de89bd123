"""Building messages with the standard library ``email`` package and
putting them in the outbox."""

from __future__ import annotations

from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid, parseaddr
from typing import Any

from flask import current_app, render_template

from volunteer_hub.database import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.mail.models import OutboxMessage


def build_message(
    *, to_name: str, to_email: str, subject: str, text: str, html: str
) -> EmailMessage:
    """A multipart/alternative message from the configured sender.

    Header values are set through ``email.headerregistry``, which refuses
    line breaks, so nobody can add headers through a name or subject.
    """
    sender_name, sender_address = parseaddr(current_app.config["MAIL_FROM"])
    message = EmailMessage(policy=SMTP)
    message["From"] = Address(display_name=sender_name, addr_spec=sender_address)
    message["To"] = Address(display_name=to_name, addr_spec=to_email)
    message["Subject"] = subject
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = make_msgid(domain=sender_address.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def queue_email(
    template: str,
    *,
    to_name: str,
    to_email: str,
    subject: str,
    rsvp_id: int | None = None,
    **context: Any,
) -> OutboxMessage:
    """Render ``mail/<template>.txt`` and ``.html`` and add the message to the
    outbox in the current transaction."""
    context.update(to_name=to_name, subject=subject)
    message = build_message(
        to_name=to_name,
        to_email=to_email,
        subject=subject,
        text=render_template(f"mail/{template}.txt", **context),
        html=render_template(f"mail/{template}.html", **context),
    )
    outbox_message = OutboxMessage(
        recipient=to_email, subject=subject, mime=message.as_string(), rsvp_id=rsvp_id
    )
    db.session.add(outbox_message)
    return outbox_message
