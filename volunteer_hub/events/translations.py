"""An event's title and description in the reader's language.

Coordinators enter the translations (volunteer_hub.console.translations);
pages show them through ``localized`` and fall back to the original, field
by field, where a translation is missing or empty. Calendar invites keep the
original title.
"""

from __future__ import annotations

from typing import NamedTuple

from volunteer_hub.events.models import Event, EventTranslation
from volunteer_hub.extensions import db
from volunteer_hub.i18n import DEFAULT_LANGUAGE, LANGUAGES, current_language

#: The languages an event's title and description can be translated into.
TRANSLATED_LANGUAGES = tuple(code for code in LANGUAGES if code != DEFAULT_LANGUAGE)


class Localized(NamedTuple):
    """What a page shows of an event: its title and Markdown description."""

    title: str
    description: str


def translation_of(event: Event, language: str) -> EventTranslation | None:
    """The event's translation into ``language``, if a coordinator entered one."""
    return next((t for t in event.translations if t.language == language), None)


def localized(event: Event, language: str | None = None) -> Localized:
    """The event's title and description in ``language`` (the page's by
    default), each falling back to the original when not translated."""
    translation = translation_of(event, language or current_language())
    if translation is None:
        return Localized(event.title, event.description)
    return Localized(translation.title.strip() or event.title,
                     translation.description.strip() or event.description)


def local_title(event: Event) -> str:
    """Template filter: the event's title in the page's language."""
    return localized(event).title


def local_description(event: Event) -> str:
    """Template filter: the event's Markdown description in the page's language."""
    return localized(event).description


def save_translation(event: Event, language: str, *, title: str,
                     description: str) -> EventTranslation | None:
    """Set the event's title and description in ``language``; both empty
    removes the translation. Returns the translation kept, if any."""
    if language not in TRANSLATED_LANGUAGES:
        raise ValueError(f"not a language events are translated into: {language!r}")
    translation = translation_of(event, language)
    if not (title or description):
        if translation is not None:
            remove_translation(event, language)
        return None
    if translation is None:
        translation = EventTranslation(language=language)
        event.translations.append(translation)
    translation.title, translation.description = title, description
    db.session.flush()
    return translation


def remove_translation(event: Event, language: str) -> bool:
    """Drop the event's translation into ``language``; whether there was one."""
    translation = translation_of(event, language)
    if translation is None:
        return False
    event.translations.remove(translation)
    db.session.flush()
    return True
