"""Comments wait for a coordinator; approved ones show with name and date,
as plain text with links."""

from __future__ import annotations

import sqlalchemy as sa

from volunteer_hub.comments.models import Comment, CommentState


def test_comments_show_only_once_approved(client, coordinator, make_event, fetch):
    event = make_event()
    page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "Comments are moderated and may not be visible right away" in page

    response = client.post(f"/events/{event.slug}/comments", data={
        "comment-name": "Kaveh", "comment-body": "Solidarity! <b>bold</b> https://example.org/x"})
    assert response.status_code == 303
    page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "will appear once a coordinator has approved it" in page
    assert "Kaveh" not in page  # held

    [comment] = fetch(sa.select(Comment))
    queue = coordinator.get("/console/comments").get_data(as_text=True)
    assert "Kaveh" in queue and "&lt;b&gt;bold&lt;/b&gt;" in queue
    coordinator.post(f"/console/comments/{comment.id}", data={"state": "approved"})
    page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "Kaveh" in page and "&lt;b&gt;bold&lt;/b&gt;" in page and "<b>bold" not in page
    assert '<a href="https://example.org/x" rel="nofollow ugc noopener noreferrer">' in page
    assert "Nothing waiting" in coordinator.get("/console/comments").get_data(as_text=True)


def test_rejected_and_spam_never_show(client, coordinator, make_event, fetch):
    event = make_event()
    for name in ("Rejected Person", "Spammer"):
        client.post(f"/events/{event.slug}/comments",
                    data={"comment-name": name, "comment-body": "Hello"})
    first, second = fetch(sa.select(Comment).order_by(Comment.id))
    coordinator.post(f"/console/comments/{first.id}", data={"state": "rejected"})
    coordinator.post(f"/console/comments/{second.id}", data={"state": "spam"})
    assert [c.state for c in fetch(sa.select(Comment).order_by(Comment.id))] == [
        CommentState.REJECTED, CommentState.SPAM]
    page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "Rejected Person" not in page and "Spammer" not in page
    assert coordinator.post(f"/console/comments/{first.id}",
                            data={"state": "pending"}).status_code == 400


def test_bad_comments_are_refused_with_a_message(client, make_event, fetch):
    event = make_event()
    for data, text in (
        ({"comment-name": "K", "comment-body": "x" * 100_000}, "under 2,000 characters"),
        ({"comment-name": "", "comment-body": "Hi"}, "Please give a name"),
        ({"comment-name": "K", "comment-body": "Hi", "comment-website": "x"}, "leave the last"),
    ):
        response = client.post(f"/events/{event.slug}/comments", data=data)
        assert response.status_code == 422
        assert text in response.get_data(as_text=True)
    assert fetch(sa.select(Comment)) == []
    assert client.post("/events/nope/comments", data={}).status_code == 404


def test_the_donate_button_appears_only_when_configured(app, client):
    assert "Donate" not in client.get("/").get_data(as_text=True)
    app.config["DONATE_URL"] = "https://donate.example.org/iran"
    html = client.get("/").get_data(as_text=True)
    assert '<a class="donate" href="https://donate.example.org/iran"' in html
