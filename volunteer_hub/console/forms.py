"""Forms coordinators edit events, venues and tasks with. Times are typed
as wall-clock times in the place's own zone."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from wtforms import (
    BooleanField,
    DateTimeLocalField,
    Field,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
    ValidationError,
)
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional, Regexp

from volunteer_hub.forms import Form, printable_text, strip


@cache
def zone_choices() -> list[tuple[str, str]]:
    zones = sorted(zone for zone in available_timezones() if "/" in zone
                   and not zone.startswith(("Etc/", "SystemV/", "posix/", "right/")))
    return [(zone, zone.replace("_", " ")) for zone in ["UTC", *zones]]


def aware(local: datetime | None, zone: str) -> datetime | None:
    """A wall-clock time typed in ``zone``, as an aware UTC datetime.

    Raises ValidationError for a time the clocks skip (spring forward)."""
    if local is None:
        return None
    moment = local.replace(tzinfo=ZoneInfo(zone))
    try:
        in_utc = moment.astimezone(UTC)
    except OverflowError:
        raise ValidationError("Please enter a date between the years 1 and 9998.") from None
    if in_utc.astimezone(ZoneInfo(zone)).replace(tzinfo=None) != local:
        raise ValidationError("That time does not exist on that day: the clocks change.")
    return in_utc


def wall_clock(moment: datetime | None, zone: str) -> datetime | None:
    """The other way round, to fill in a form."""
    return moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None) if moment else None


def _time(label: str) -> DateTimeLocalField:
    return DateTimeLocalField(label, format="%Y-%m-%dT%H:%M", validators=[Optional()])


def _zone(label: str = "Time zone") -> SelectField:
    return SelectField(label, default="America/New_York", validators=[DataRequired()])


class TimesMixin:
    """Start and end typed in the form's zone; the end needs a start."""

    timezone: SelectField
    starts_at: DateTimeLocalField
    ends_at: DateTimeLocalField

    def setup_zone(self) -> None:
        self.timezone.choices = zone_choices()

    def times(self) -> tuple[datetime | None, datetime | None]:
        return aware(self.starts_at.data, self.timezone.data), aware(
            self.ends_at.data, self.timezone.data)

    def check_times(self) -> bool:
        try:
            starts_at, ends_at = self.times()
        except ValidationError as error:
            self.starts_at.errors = [*self.starts_at.errors, str(error)]
            return False
        if ends_at is not None and (starts_at is None or ends_at <= starts_at):
            self.ends_at.errors = [*self.ends_at.errors, "The end must come after the start."]
            return False
        return True


class EventForm(TimesMixin, Form):
    title = StringField("Title", filters=[strip], validators=[
        DataRequired("Please give the event a title."), Length(max=200), printable_text])
    slug = StringField(
        "Web address", filters=[strip],
        description="The end of the event's address, e.g. afternoon-of-solidarity. "
                    "Lower-case letters, digits and hyphens.",
        validators=[DataRequired("Please choose a web address."), Length(max=120),
                    Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$",
                           message="Lower-case letters, digits and single hyphens only.")])
    description = TextAreaField("Description", description="Markdown: **bold**, *italic*, "
                                "[links](https://…), lists with -.", filters=[strip],
                                validators=[Length(max=20_000)])
    timezone = _zone()
    tba = BooleanField("Date and time to be announced")
    starts_at = _time("Starts")
    ends_at = _time("Ends (optional)")
    online = BooleanField("People can attend online")
    stream_url = URLField("Online link", description="Shown only to people who RSVP online.",
                          filters=[strip], validators=[
                              Optional(), Length(max=500),
                              URL(message="Please enter a full web address.")])
    guest_limit = IntegerField("Guests per RSVP", default=0, validators=[
        NumberRange(0, 50, "Between 0 and 50.")])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_zone()

    def validate_stream_url(self, field: Field) -> None:
        if field.data and not field.data.startswith(("https://", "http://")):
            raise ValidationError("Please enter a web address starting with https://.")

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if valid and not self.tba.data and self.starts_at.data is None:
            self.starts_at.errors = ["Please give a start, or tick 'to be announced'."]
            return False
        return valid and self.check_times()

    def fields(self) -> dict[str, Any]:
        starts_at, ends_at = (None, None) if self.tba.data else self.times()
        return {
            "title": self.title.data, "slug": self.slug.data,
            "description": self.description.data or "", "timezone": self.timezone.data,
            "starts_at": starts_at, "ends_at": ends_at, "online": self.online.data,
            "stream_url": self.stream_url.data or None, "guest_limit": self.guest_limit.data,
        }


class VenueForm(TimesMixin, Form):
    name = StringField("Name", filters=[strip], validators=[
        DataRequired("Please name the venue."), Length(max=200), printable_text])
    address = StringField("Address", filters=[strip], validators=[
        DataRequired("Please give the address."), Length(max=500), printable_text])
    timezone = _zone("The venue's time zone")
    starts_at = _time("Own start (optional)")
    ends_at = _time("Own end (optional)")
    capacity = IntegerField("Capacity in people (optional)",
                            description="Attendees plus their guests. Empty: no limit.",
                            validators=[Optional(), NumberRange(1, 100_000, "At least 1.")])
    accessibility = TextAreaField(
        "Accessibility: step-free entry, seating, toilets, captions or interpretation",
        description="Shown on the public event page under the venue. Plain text; "
                    "say what is there and what is not, so people can plan.",
        filters=[strip], validators=[Length(max=2000)])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_zone()
        self.starts_at.description = "Only if this venue keeps other hours than the event."

    def validate(self, extra_validators: Any = None) -> bool:
        return super().validate(extra_validators) and self.check_times()

    def fields(self) -> dict[str, Any]:
        starts_at, ends_at = self.times()
        return {"name": self.name.data, "address": self.address.data,
                "timezone": self.timezone.data, "starts_at": starts_at, "ends_at": ends_at,
                "capacity": self.capacity.data, "accessibility": self.accessibility.data or ""}


class TaskForm(TimesMixin, Form):
    title = StringField("Task", filters=[strip], validators=[
        DataRequired("Please name the task."), Length(max=200), printable_text])
    description = TextAreaField("What it involves", filters=[strip],
                                validators=[Length(max=2000)])
    venue_id = SelectField("At venue", coerce=int, default=0)
    location = StringField("Or where, in words", filters=[strip],
                           validators=[Length(max=300), printable_text])
    timezone = _zone()
    starts_at = _time("Own start (optional)")
    ends_at = _time("Own end (optional)")
    min_volunteers = IntegerField("Volunteers needed at least", default=1,
                                  validators=[NumberRange(0, 10_000, "0 or more.")])
    max_volunteers = IntegerField("At most (optional)", validators=[
        Optional(), NumberRange(1, 10_000, "At least 1.")])

    def __init__(self, venues: list[Any], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_zone()
        self.venue_id.choices = [(0, "None")] + [(venue.id, venue.name) for venue in venues]
        self.starts_at.description = "Empty: the event's time, or 'any time' for ongoing tasks."

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators) and self.check_times()
        if valid and self.max_volunteers.data is not None and (
                self.max_volunteers.data < self.min_volunteers.data):
            self.max_volunteers.errors = ["At most cannot be fewer than at least."]
            return False
        return valid

    def fields(self) -> dict[str, Any]:
        starts_at, ends_at = self.times()
        return {"title": self.title.data, "description": self.description.data or "",
                "venue_id": self.venue_id.data or None, "location": self.location.data or "",
                "timezone": self.timezone.data, "starts_at": starts_at, "ends_at": ends_at,
                "min_volunteers": self.min_volunteers.data,
                "max_volunteers": self.max_volunteers.data}


class TranslationForm(Form):
    """An event's title and description in one more language; both empty
    removes the translation."""

    title = StringField("Title", filters=[strip], validators=[Length(max=200), printable_text])
    description = TextAreaField("Description", description="Markdown, as in the original.",
                                filters=[strip], validators=[Length(max=20_000)])
