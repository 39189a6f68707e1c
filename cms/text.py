"""Text helpers shared by indexing and search."""

import re
import unicodedata

_TAG = re.compile(r"<[^>]+>")


def fold(text: str) -> str:
    """Lower-case, without accents: "Européenne" → "europeenne"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def plain_text(html: str) -> str:
    import html as html_module

    return html_module.unescape(_TAG.sub(" ", html or ""))
