"""Every text the pages, forms and emails show is translated: a string added
to a template or the code without its Persian (and, for pages, Spanish)
translation fails here, naming the string and where it is."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
#: domain, its extraction map, and the languages that must be complete
CATALOGUES = [("messages", "babel.cfg", ("fa", "es")), ("mail", "babel-mail.cfg", ("fa",))]


def extracted(mapping: str) -> dict[str | tuple[str, ...], str]:
    """Every text marked for translation, with where it first appears."""
    with open(ROOT / mapping, encoding="utf-8") as file:
        method_map, options_map = parse_mapping_cfg(file)
    found: dict[str | tuple[str, ...], str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map):
        key = message if isinstance(message, str) else tuple(message)
        found.setdefault(key, f"{filename}:{lineno}")
    return found


@pytest.mark.parametrize(("domain", "mapping", "language"), [
    (domain, mapping, language) for domain, mapping, languages in CATALOGUES
    for language in languages])
def test_every_text_is_translated(domain, mapping, language):
    with open(ROOT / "translations" / language / "LC_MESSAGES" / f"{domain}.po", "rb") as file:
        catalogue = read_po(file, locale=language)
    missing = []
    for key, where in extracted(mapping).items():
        msgid = key if isinstance(key, str) else key[0]
        message = catalogue.get(msgid)
        strings = [] if message is None else (
            [message.string] if isinstance(message.string, str) else list(message.string))
        if message is None or message.fuzzy or not all(strings):
            missing.append(f"{where}: {msgid!r}")
    assert not missing, (f"{len(missing)} text(s) without a {language} translation in "
                         f"translations/{language}/LC_MESSAGES/{domain}.po (run `make messages`, "
                         "then translate):\n" + "\n".join(missing))
    problems = [f"{message.id!r}: {errors}" for message, errors in catalogue.check()]
    assert not problems, problems
