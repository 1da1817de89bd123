"""Field filters and validators that every public form shares."""

from __future__ import annotations

import unicodedata
from typing import Any

from wtforms import Field, ValidationError


def strip(value: Any) -> Any:
    """Surrounding whitespace removed, inner runs of whitespace kept."""
    return value.strip() if isinstance(value, str) else value


def printable_text(form: Any, field: Field) -> None:
    """Refuse control characters (line breaks, NUL, bidi overrides …), which
    have no place in a name and could forge lines in emails or lists."""
    text = field.data or ""
    for char in text:
        if unicodedata.category(char) in ("Cc", "Cs") or char in BIDI_CONTROLS:
            raise ValidationError("Please use letters, digits and punctuation only.")


#: Characters that reorder text invisibly, a known way to disguise names.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
