"""Source citations as CSL-JSON (Citation Style Language), for citation managers."""

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


def to_csl(value) -> dict:
    """A CSL-JSON item from a presented citation (``api.values.Citation``)."""
    citation = value.obj
    item = {
        "id": f"baken-citation-{citation.pk}",
        "type": CSL_TYPES[citation.citation_type],
        "title": citation.title,
        "language": citation.language,
    }
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
