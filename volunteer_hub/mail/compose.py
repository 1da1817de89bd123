"""Building messages with the standard library ``email`` package and
putting them in the outbox."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid, parseaddr
from typing import Any

from flask import current_app, render_template
from flask_babel.speaklater import LazyString

from volunteer_hub import i18n
from volunteer_hub.database import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.mail.models import OutboxMessage

#: Characters that mean something in an address header. Python 3.11's email
#: package can misread a folded display name that holds them as several
#: addresses (CPython gh-80222), so names leave them out.
_ADDRESS_SPECIALS = re.compile(r'[\x00-\x1f\x7f,;:<>@"\\()\[\]]+')


#: The start of an RFC 2047 encoded word. The email package decodes encoded
#: words in a value assigned to a header, then writes what they hide as is:
#: "=?utf-8?q?=0D=0ABcc:...?=" would become a line break and a new header.
_ENCODED_WORD_START = "=?"


def header_text(text: str) -> str:
    """``text`` on one line, with nothing that would be read as an encoded
    word: a zero-width space keeps "=" and "?" apart, invisibly."""
    return " ".join(text.split()).replace(_ENCODED_WORD_START, "=\u200b?")


def display_name(name: str) -> str:
    """A person's name as it may stand before their address in a header."""
    return header_text(_ADDRESS_SPECIALS.sub(" ", name))


@dataclass(frozen=True)
class CalendarPart:
    """An iTIP message to carry: shown inline by calendar-aware mail
    programs, and attached as ``invite.ics`` for all the others."""

    ics: bytes
    method: str


def build_message(
    *, to_name: str, to_email: str, subject: str, text: str, html: str,
    calendar: CalendarPart | None = None,
) -> EmailMessage:
    """A message from the configured sender: plain text and HTML
    alternatives, plus the invite when there is one, in the current language.

    Header values are set through ``email.headerregistry``, which refuses
    line breaks, so nobody can add headers through a name or subject.
    """
    sender_name, sender_address = parseaddr(current_app.config["MAIL_FROM"])
    message = EmailMessage(policy=SMTP)
    message["From"] = Address(display_name=sender_name, addr_spec=sender_address)
    message["To"] = Address(display_name=display_name(to_name), addr_spec=to_email)
    if reply_to := current_app.config.get("MAIL_REPLY_TO"):
        reply_name, reply_address = parseaddr(reply_to)
        message["Reply-To"] = Address(display_name=reply_name, addr_spec=reply_address)
    message["Subject"] = header_text(subject)
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = make_msgid(domain=sender_address.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    if calendar is not None:
        # The layout Gmail, Outlook and Apple Mail send and understand:
        # multipart/mixed [alternative [plain, html, calendar], invite.ics].
        message.add_alternative(
            calendar.ics.decode(), subtype="calendar", params={"method": calendar.method}
        )
        message.add_attachment(
            calendar.ics, maintype="application", subtype="ics", filename="invite.ics"
        )
    # Set last: the email package moves Content-* headers into the first
    # part when it makes a message multipart.
    message["Content-Language"] = i18n.current_language()
    return message


#: Right-to-left mark: starts a plain-text line so that mail programs lay it
#: out right to left even when it begins with a link, a name or a number.
_RLM = "\u200f"


def _has_rtl_letters(line: str) -> bool:
    return any(unicodedata.bidirectional(char) in ("R", "AL") for char in line)


def plain_text(text: str) -> str:
    """The plain-text part as it reads in the current language: in a
    right-to-left language, each line written in it starts with a
    right-to-left mark. Lines with none of its letters (links, an English
    title, a coordinator's English words) keep their own direction."""
    if i18n.text_direction() != "rtl":
        return text
    return "\n".join(_RLM + line if _has_rtl_letters(line) else line
                     for line in text.split("\n"))


def queue_email(
    template: str,
    *,
    to_name: str,
    to_email: str,
    subject: str | LazyString,
    language: str | None = None,
    rsvp_id: int | None = None,
    signup_id: int | None = None,
    broadcast_id: int | None = None,
    calendar: CalendarPart | None = None,
    forget_recipient: bool = False,
    **context: Any,
) -> OutboxMessage:
    """Render ``mail/<template>.txt`` and ``.html`` and add the message to the
    outbox in the current transaction.

    ``language`` is the recipient's (their RSVP's or sign-up's); without it
    the message is in the language of the page that caused it (English
    outside a request), if emails are translated into it (else English).
    ``subject`` may be a lazy text (``lazy_gettext``): it is translated
    here, in that language.
    """
    with i18n.language(i18n.mail_language(language or i18n.current_language())):
        subject = str(subject)
        context.update(to_name=to_name, subject=subject)
        message = build_message(
            to_name=to_name,
            to_email=to_email,
            subject=subject,
            text=plain_text(render_template(f"mail/{template}.txt", **context)),
            html=render_template(f"mail/{template}.html", **context),
            calendar=calendar,
        )
    outbox_message = OutboxMessage(
        recipient=to_email, subject=subject, mime=message.as_string(), rsvp_id=rsvp_id,
        signup_id=signup_id, broadcast_id=broadcast_id, forget_recipient=forget_recipient,
    )
    db.session.add(outbox_message)
    return outbox_message
