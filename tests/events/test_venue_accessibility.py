"""Each venue's accessibility information is on the public event page, under
the venue, as plain text with its links."""

from __future__ import annotations

from volunteer_hub.events.models import Venue
from volunteer_hub.extensions import db

ACCESS = ("Step-free entrance from the side street.\n"
          "Captions on the screen; plan: https://example.org/access <b>bold</b>")


def test_the_event_page_shows_each_venues_accessibility_as_plain_text(app, client, make_event):
    event = make_event(venues=[{"name": "Revolution Books Harlem"},
                               {"name": "Revolution Books Berkeley"}])
    with app.app_context():
        db.session.get(Venue, event.venues[0].id).accessibility = ACCESS
        db.session.commit()

    page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "Step-free entrance from the side street.\nCaptions on the screen" in page
    assert ('<a href="https://example.org/access" rel="nofollow ugc noopener noreferrer">'
            in page)
    assert "&lt;b&gt;bold&lt;/b&gt;" in page and "<b>bold</b>" not in page
    # Berkeley has none: no empty heading.
    assert page.count('<h4 class="venue-access">Accessibility</h4>') == 1
    persian = client.get(f"/events/{event.slug}", headers={"Accept-Language": "fa"})
    assert '<p class="note" dir="auto">Step-free entrance' in persian.get_data(as_text=True)
