"""The RSVP form and the form on the manage page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask_babel import gettext, lazy_gettext, ngettext
from flask_babel.speaklater import LazyString
from wtforms import BooleanField, HiddenField, IntegerField, RadioField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Regexp

from volunteer_hub.forms import Form, email_field, name_field, strip
from volunteer_hub.spam import SpamGuardMixin
from volunteer_hub.timefmt import format_number
from volunteer_hub.tokens import new_nonce

if TYPE_CHECKING:
    from volunteer_hub.events.models import Event
    from volunteer_hub.events.services import EventOutline

ONLINE = "online"


def attendance_choices(event: Event | EventOutline) -> list[tuple[str, str]]:
    """One radio per venue, plus "Online" where offered."""
    choices = [(str(venue.id), gettext("In person: %(venue)s", venue=venue.name))
               for venue in event.venues]
    if event.online:
        choices.append((ONLINE, gettext("Online")))
    return choices


def _attendance_field() -> RadioField:
    return RadioField(lazy_gettext("How will you attend?"), validators=[
        InputRequired(lazy_gettext("Please choose how you will attend."))])


def _guests_field() -> IntegerField:
    return IntegerField(
        lazy_gettext("Guests you are bringing"),
        default=0,
        validators=[InputRequired(lazy_gettext("Please enter a number of guests (0 for none)."))],
    )


def _keep_updated_field() -> BooleanField:
    return BooleanField(lazy_gettext("Keep me updated about the campaign's future events"))


#: The longest answer to the access-needs question.
ACCESS_NEEDS_MAX = 500


def _access_needs_field() -> TextAreaField:
    """Optional, and seen by the coordinators only."""
    return TextAreaField(
        lazy_gettext("Anything we should arrange so you can take part? (optional)"),
        description=lazy_gettext("For example step-free access, a seat, an interpreter or "
                                 "captions. Only the campaign's coordinators will see this."),
        filters=[strip],
        validators=[Length(max=ACCESS_NEEDS_MAX, message=lazy_gettext(
            "Please keep this to 500 characters or fewer."))])


def _guests_description(limit: int) -> str:
    return gettext("Up to %(limit)s; 0 if you come alone.", limit=format_number(limit))


def _too_many_guests(limit: int) -> str:
    if not limit:
        return gettext("This event has no places for guests.")
    return ngettext("You can bring up to %(count)s guest.", "You can bring up to %(count)s guests.",
                    limit, count=format_number(limit))


class AttendanceForm(Form):
    """How someone attends, set up for one event: the part the RSVP and
    manage forms share. Subclasses declare the fields, in page order."""

    attendance: RadioField
    guests: IntegerField
    keep_updated: BooleanField

    def __init__(self, event: Event | EventOutline, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: the event the form is for (an outline, when checked before a booking)
        self.event_id = event.id
        self.attendance.choices = attendance_choices(event)
        # Texts only a page shows, written when it does: a form sent right,
        # as most are, never needs them.
        self.guests.description = LazyString(_guests_description, event.guest_limit)
        self.guests.validators = [
            *self.guests.validators,
            NumberRange(0, event.guest_limit, LazyString(_too_many_guests, event.guest_limit)),
        ]
        if len(self.attendance.choices) == 1 and not self.is_submitted():
            self.attendance.data = self.attendance.choices[0][0]

    @property
    def venue_id(self) -> int | None:
        return None if self.attendance.data == ONLINE else int(self.attendance.data)


class RsvpForm(SpamGuardMixin, AttendanceForm):
    """The RSVP form of an event, or of its outline (``EventOutline``)."""

    name = name_field()
    email = email_field(lazy_gettext("For your confirmation and the link to change or cancel."))
    attendance = _attendance_field()
    guests = _guests_field()
    keep_updated = _keep_updated_field()
    access_needs = _access_needs_field()
    #: one-time key: the same form sent twice gives back the same RSVP
    #: (hidden: no label, as for ``started``)
    submission_key = HiddenField(label="", validators=[Regexp(
        r"^[A-Za-z0-9_-]{43}$", message=lazy_gettext("This form has expired."))])

    def __init__(self, event: Event | EventOutline, *args: Any, **kwargs: Any) -> None:
        super().__init__(event, *args, **kwargs)
        if not self.is_submitted():
            self.submission_key.data = new_nonce()

    def data_for_service(self) -> dict[str, Any]:
        return {
            "name": self.name.data,
            "email": self.email.data,
            "venue_id": self.venue_id,
            "guests": self.guests.data,
            "keep_updated": self.keep_updated.data,
            "access_needs": self.access_needs.data or "",
            "submission_key": self.submission_key.data,
        }


class ChangeRsvpForm(AttendanceForm):
    """Switch venue or online, change guests, consent to updates or access needs."""

    attendance = _attendance_field()
    guests = _guests_field()
    keep_updated = _keep_updated_field()
    access_needs = _access_needs_field()


class ConfirmForm(Form):
    """A button that only posts: cancel, delete."""
