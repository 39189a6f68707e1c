"""Source citations as CSL-JSON (Citation Style Language), for citation managers.

Invariants:
- One ``id`` per source in every locale: ``baken-citation-<translation_key>``, so a reference
  manager that imports the Dutch and the French list sees one source, not two.
- ``language`` is the language of the ``title`` given (citeproc styles change case by it: title
  case only for English). A title served in another locale than the source's own language is a
  translation, marked with the served locale, and the source's own title (when Baken has it
  live) is kept as ``original-title``. A translated row whose title was left as the original's is
  in the source's language.
- Authors: a line "Family, Given" is a personal name; anything else, and an organisation without
  personal authors, is a ``literal`` name, which styles never invert or abbreviate.
"""

CSL_MEDIA_TYPE = "application/vnd.citationstyles.csl+json"

CSL_TYPES = {
    "report": "report",
    "article": "article",
    "dataset": "dataset",
    "legislation": "legislation",
    "investigative_journalism": "article-newspaper",
    "web_page": "webpage",
}


def _date_parts(value):
    return {"date-parts": [[value.year, value.month, value.day]]}


def _name(author: str) -> dict:
    family, _, given = author.partition(",")
    if given.strip():
        return {"family": family.strip(), "given": given.strip()}
    return {"literal": author.strip()}


def _primary(tag: str) -> str:
    return tag.split("-")[0].lower()


def title_language(
    *, served_locale: str, source_language: str, title: str, original_title: str | None
) -> str:
    """The language of ``title`` as served in ``served_locale`` (see the module's invariants)."""
    if not source_language or _primary(served_locale) == _primary(source_language):
        return source_language or served_locale
    if original_title is not None and title == original_title:
        return source_language
    return served_locale


def to_csl(value, *, original_title: str | None = None) -> dict:
    """A CSL-JSON item from a presented citation (``api.values.Citation``) and, when Baken has it,
    the live title of the source's own-language translation."""
    citation = value.obj
    language = title_language(
        served_locale=value.served.locale,
        source_language=citation.language,
        title=citation.title,
        original_title=original_title,
    )
    item = {
        "id": f"baken-citation-{citation.translation_key}",
        "type": CSL_TYPES[citation.citation_type],
        "title": citation.title,
        "language": language,
    }
    if original_title and original_title != citation.title:
        item["original-title"] = original_title
    authors = [_name(name) for name in citation.author_names]
    if not authors and citation.organisation:
        authors = [{"literal": citation.organisation}]
    if authors:
        item["author"] = authors
    if citation.publisher:
        item["publisher"] = citation.publisher
    if citation.url:
        item["URL"] = citation.url
    if citation.publication_date:
        item["issued"] = _date_parts(citation.publication_date)
    if citation.accessed_date:
        item["accessed"] = _date_parts(citation.accessed_date)
    if value.notes.text:
        item["note"] = value.notes.text
    return item
