"""What is kept per email address rather than per RSVP or sign-up."""

from __future__ import annotations

from sqlalchemy import delete, select

from volunteer_hub.extensions import db
from volunteer_hub.invites.models import CalendarFeed
from volunteer_hub.lookup.models import LookupLink
from volunteer_hub.rsvps.models import Rsvp
from volunteer_hub.volunteers.models import Signup


def forget_unused_addresses(*email_keys: str) -> int:
    """Delete the calendar feeds and lookup links of addresses that no RSVP
    or sign-up uses any more: of ``email_keys``, or of every address when
    none is given. Returns how many feeds went."""
    in_use = (select(Rsvp.email_key), select(Signup.email_key))
    unused_feed = [CalendarFeed.email_key.not_in(keys) for keys in in_use]
    unused_link = [LookupLink.email_key.not_in(keys) for keys in in_use]
    if email_keys:
        unused_feed.append(CalendarFeed.email_key.in_(email_keys))
        unused_link.append(LookupLink.email_key.in_(email_keys))
    db.session.execute(delete(LookupLink).where(*unused_link)
                       .execution_options(synchronize_session=False))
    result = db.session.execute(delete(CalendarFeed).where(*unused_feed)
                                .execution_options(synchronize_session=False))
    return max(result.rowcount or 0, 0)
