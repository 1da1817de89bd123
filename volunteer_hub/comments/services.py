"""Comments: held until a coordinator approves them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from volunteer_hub.comments.models import Comment, CommentState
from volunteer_hub.coordinators.models import Coordinator
from volunteer_hub.database import utcnow
from volunteer_hub.events.models import Event
from volunteer_hub.extensions import db


def submit(event: Event, *, name: str, body: str) -> Comment:
    comment = Comment(event_id=event.id, name=name, body=body)
    db.session.add(comment)
    db.session.flush()
    return comment


def approved(event: Event) -> list[Comment]:
    """What the public sees, oldest first."""
    return list(db.session.scalars(
        select(Comment).where(Comment.event_id == event.id, Comment.state == CommentState.APPROVED)
        .order_by(Comment.created_at, Comment.id)))


def queue() -> list[Comment]:
    """Comments waiting for a decision, oldest first."""
    return list(db.session.scalars(
        select(Comment).where(Comment.state == CommentState.PENDING)
        .order_by(Comment.id).options(selectinload(Comment.event))))


def moderate(comment: Comment, state: CommentState, coordinator: Coordinator) -> None:
    comment.state = state
    comment.moderated_at = utcnow()
    comment.moderated_by = coordinator.name
    db.session.flush()
