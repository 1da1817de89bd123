"""Contact messages: received from the public, answered from the console."""

from __future__ import annotations

from sqlalchemy import Select, select

from volunteer_hub.contact.models import ContactMessage, ContactReply, MessageState, Topic
from volunteer_hub.coordinators.models import Coordinator
from volunteer_hub.database import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.mail.compose import queue_email


def receive(*, name: str, email: str, topic: Topic, body: str) -> ContactMessage:
    message = ContactMessage(name=name, email=email, topic=topic, body=body)
    db.session.add(message)
    db.session.flush()
    return message


def inbox_query(state: MessageState | None) -> Select[tuple[ContactMessage]]:
    """Newest first; only one state when asked."""
    query = select(ContactMessage).order_by(ContactMessage.id.desc())
    return query.where(ContactMessage.state == state) if state else query


def reply(message: ContactMessage, coordinator: Coordinator, subject: str, body: str) -> None:
    """Answer by email through the outbox, keep a copy, and mark it handled."""
    db.session.add(ContactReply(message=message, coordinator_name=coordinator.name, body=body))
    queue_email("contact/reply", to_name=message.name, to_email=message.email,
                subject=subject, body=body, original=message)
    set_handled(message, True)


def set_handled(message: ContactMessage, handled: bool) -> None:
    message.state = MessageState.HANDLED if handled else MessageState.NEW
    message.handled_at = utcnow() if handled else None
    db.session.flush()
