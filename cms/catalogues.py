"""Baken's translation catalogues: cms/locale/<language>/LC_MESSAGES/django.po, and their .mo files.

The .po files are the source (extracted with ``make messages``, which needs GNU gettext, then
translated by hand); the .mo files Django reads are compiled from them in Python, with polib, by
``manage.py compile_translations`` — no gettext tools needed. Both are in git, so a fresh clone
has working translations; tests/test_admin_translations.py checks that each .mo file is exactly
what its .po file compiles to, and that every catalogue is complete (see ``problems``).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
# The admin languages Baken ships its own texts in (the other admin languages show them in English).
LANGUAGES = ("nl", "fr")

# printf-style placeholders: %(name)s, %(count)d, %(byte)02x, %s; "%%" is a literal percent sign.
_PERCENT_PLACEHOLDER = re.compile(r"%(?:\((?P<name>[^)]*)\))?[#0\- +]*(?:\d+|\*)?(?:\.\d+)?[a-zA-Z%]")
# str.format-style placeholders: {name}, {0}, {}; "{{" and "}}" are literal braces.
_BRACE_PLACEHOLDER = re.compile(r"(?<!\{)\{(?P<name>[^{}]*)\}(?!\})")


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


def mo_path(language: str) -> Path:
    return po_path(language).with_suffix(".mo")


def load(language: str) -> polib.POFile:
    return polib.pofile(str(po_path(language)))


def placeholders(text: str) -> Counter:
    """The placeholders in a message, as a multiset ("%(count)d", "%s", "{default}")."""
    found = Counter(match.group(0) for match in _PERCENT_PLACEHOLDER.finditer(text) if match.group(0) != "%%")
    found.update("{" + match["name"] + "}" for match in _BRACE_PLACEHOLDER.finditer(text))
    return found


def _names(text: str) -> set[str]:
    return set(placeholders(text))


def entry_problems(entry: polib.POEntry) -> list[str]:
    """What is wrong with one entry: fuzzy, untranslated, or placeholders that differ from the msgid's."""
    label = repr(entry.msgid if not entry.msgctxt else f"{entry.msgctxt}|{entry.msgid}")
    if entry.fuzzy:
        return [f"{label} is marked fuzzy: check its translation and remove the flag"]
    if entry.msgid_plural:
        forms = [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)]
        if not forms or any(not form for form in forms):
            return [f"{label} is not translated (every plural form needs a translation)"]
        problems = []
        singular, plural = _names(entry.msgid), _names(entry.msgid_plural)
        allowed = singular | plural
        for index, form in enumerate(forms):
            used = _names(form)
            if used - allowed:
                problems.append(
                    f"{label}: plural form {index} has unknown placeholders {sorted(used - allowed)}"
                )
        if not singular <= _names(forms[0]):
            problems.append(f"{label}: plural form 0 lacks {sorted(singular - _names(forms[0]))}")
        if _names(forms[-1]) != plural:
            problems.append(
                f"{label}: the last plural form has placeholders {sorted(_names(forms[-1]))}, "
                f"the msgid_plural {sorted(plural)}"
            )
        pairs = [(entry.msgid, forms[0]), (entry.msgid_plural, forms[-1])]
    else:
        if not entry.msgstr:
            return [f"{label} is not translated"]
        problems = []
        if placeholders(entry.msgid) != placeholders(entry.msgstr):
            problems.append(
                f"{label}: the translation has placeholders {sorted(placeholders(entry.msgstr).elements())}, "
                f"the msgid {sorted(placeholders(entry.msgid).elements())}"
            )
        pairs = [(entry.msgid, entry.msgstr)]
    for source, translation in pairs:
        for side, check in (("start", str.startswith), ("end", str.endswith)):
            if check(source, "\n") != check(translation, "\n"):
                problems.append(f"{label}: msgid and translation differ in a line break at the {side}")
    return problems


def problems(catalogue: polib.POFile) -> list[str]:
    """Everything that keeps a catalogue from being compiled: each entry's problems, a fuzzy header."""
    found = ["the header is marked fuzzy"] if catalogue.metadata_is_fuzzy else []
    if "Plural-Forms" not in catalogue.metadata:
        found.append("the header has no Plural-Forms")
    for entry in catalogue:
        if not entry.obsolete:
            found += entry_problems(entry)
    return found


def compiled(catalogue: polib.POFile) -> bytes:
    """The .mo file of a catalogue, as polib writes it (entries sorted: the same bytes every time)."""
    return catalogue.to_binary()
