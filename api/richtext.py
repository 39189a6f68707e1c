"""Rich text as channels receive it: sanitised HTML with internal links resolved, and plain text.

Stored rich text may hold anything (an import, a bug, a compromised account): output is
always cleaned to the answer's feature set with nh3, whatever is in the database.
"""

import functools
import html
import re
from collections.abc import Iterable
from html.parser import HTMLParser
from urllib.parse import unquote

import nh3
from wagtail.documents import get_document_model

from api.values import RichText

ALLOWED_TAGS = {"p", "b", "i", "strong", "em", "a", "ol", "ul", "li", "br"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}

_INTERNAL_LINK = re.compile(r"<a\s+(?P<attrs>[^>]*\blinktype=\"(?P<type>\w+)\"[^>]*)>", re.IGNORECASE)
_ID_ATTR = re.compile(r"\bid=\"(?P<id>\d+)\"")


def sanitise(fragment: str) -> str:
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


class LinkResolver:
    """Resolves Wagtail's internal ``<a linktype=… id=…>`` links in bulk: one query per link type.

    ``visible_pages`` is a callable giving the queryset of pages a link may lead to; it is only
    called when some fragment links to a page.
    """

    def __init__(self, fragments: Iterable[str], *, visible_pages):
        page_ids, document_ids = set(), set()
        for fragment in fragments:
            for match in _INTERNAL_LINK.finditer(fragment or ""):
                id_match = _ID_ATTR.search(match["attrs"])
                if not id_match:
                    continue
                if match["type"] == "page":
                    page_ids.add(int(id_match["id"]))
                elif match["type"] == "document":
                    document_ids.add(int(id_match["id"]))
        self.page_urls = {}
        if page_ids:
            for page in visible_pages().filter(pk__in=page_ids).only("pk", "url_path", "path", "depth"):
                self.page_urls[page.pk] = page.get_url() or ""
        self.document_urls = {}
        if document_ids:
            for document in get_document_model().objects.filter(pk__in=document_ids):
                self.document_urls[document.pk] = document.url

    def expand(self, fragment: str) -> str:
        def replace(match: re.Match) -> str:
            id_match = _ID_ATTR.search(match["attrs"])
            pk = int(id_match["id"]) if id_match else None
            urls = self.page_urls if match["type"] == "page" else self.document_urls
            url = urls.get(pk) if match["type"] in ("page", "document") else None
            # A link to something that is not public keeps its text but loses its target.
            return f'<a href="{html.escape(url)}">' if url else "<a>"

        return _INTERNAL_LINK.sub(replace, fragment or "")


def render(fragment: str, resolver: LinkResolver) -> RichText:
    html, text = _clean_and_text(resolver.expand(fragment))
    return RichText(html=html, text=text)


@functools.lru_cache(maxsize=2048)
def _clean_and_text(expanded: str) -> tuple[str, str]:
    """Sanitised HTML and plain text of a fragment whose links are already resolved.

    A pure function of its input (the resolved URLs are part of it), so answers repeated across
    requests and languages are cleaned once per process.
    """
    clean = sanitise(expanded)
    return clean, to_text(clean, link_targets=True)


_URL_PREFIX = re.compile(r"^(?:https?://)?(?:www\.)?")
_PHONE_PUNCTUATION = re.compile(r"[\s().\-/]")


def link_target(href: str) -> str:
    """How a link's target reads in plain text: the URL, or a mailto:/tel: link's address/number."""
    scheme, _, rest = href.partition(":")
    if scheme.lower() == "mailto":
        return unquote(rest.split("?", 1)[0])
    if scheme.lower() == "tel":
        return unquote(rest)
    return href


def _same_target(text: str, target: str) -> bool:
    """Whether a link's text already is its target.

    Compared without case, an http(s):// scheme, a leading "www." and a trailing "/" — so
    "www.childfocus.be" is the text of https://www.childfocus.be/ — and, for phone numbers,
    without spaces, dots, dashes, slashes and parentheses ("116 000" is tel:116000).
    """

    def key(value: str) -> str:
        value = value.strip().casefold()
        number = _PHONE_PUNCTUATION.sub("", value)
        if number.removeprefix("+").isdigit():
            return number
        return _URL_PREFIX.sub("", value).rstrip("/")

    return key(text) == key(target)


class _TextExtractor(HTMLParser):
    BLOCKS = {"p", "li", "ol", "ul", "br"}

    def __init__(self, *, link_targets: bool = False):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.lists: list[list] = []
        self.link_targets = link_targets
        self.links: list[tuple[str, int]] = []  # open <a>: its target, where its text starts in parts

    def handle_starttag(self, tag, attrs):
        if tag == "a" and self.link_targets:
            href = dict(attrs).get("href") or ""
            self.links.append((link_target(href.strip()), len(self.parts)))
        elif tag in ("ol", "ul"):
            self.lists.append([tag, 0])
        elif tag == "li" and self.lists:
            self.lists[-1][1] += 1
            kind, number = self.lists[-1]
            self.parts.append(
                "\n" + ("  " * (len(self.lists) - 1)) + (f"{number}. " if kind == "ol" else "- ")
            )
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "p":
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag == "a" and self.links:
            self._close_link(*self.links.pop())
        elif tag in ("ol", "ul") and self.lists:
            self.lists.pop()
            if not self.lists:
                self.parts.append("\n\n")
        elif tag == "p":
            self.parts.append("\n\n")

    def handle_data(self, data):
        self.parts.append(re.sub(r"\s+", " ", data))

    def _close_link(self, target: str, start: int) -> None:
        """Follow a link's text with its target in parentheses, unless the text already is it."""
        text = "".join(self.parts[start:])
        words = text.rstrip()
        # No target (a page that is not public, an unsafe URL removed), or a link without text,
        # invisible in the HTML too: the text alone.
        if not target or not words.strip() or _same_target(words, target):
            return
        self.parts[start:] = [f"{words} ({target})", text[len(words) :]]


def to_text(clean_html: str, *, link_targets: bool = False) -> str:
    """Plain text of sanitised HTML: paragraphs, line breaks and list items kept as lines.

    With ``link_targets``, each link's text is followed by its target in parentheses — "de
    website van Child Focus (https://www.childfocus.be)" — or, when the text already is the target,
    shown once; a mailto:/tel: link's target is its address/number. Without it (search excerpts),
    only the link's text.
    """
    extractor = _TextExtractor(link_targets=link_targets)
    extractor.feed(clean_html)
    extractor.close()
    text = "".join(extractor.parts)
    lines = [
        line.strip(" ") if not line.lstrip().startswith(("- ", "1")) else line.rstrip()
        for line in text.split("\n")
    ]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
