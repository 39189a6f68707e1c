"""Load the demo content. Idempotent: running it again updates what is there, never duplicates."""

from django.db import transaction
from django.utils.translation import gettext
from wagtail.models import Locale, Page, Site

from cms.demo import data
from cms.importers.faq_pages import import_faq_page, list_items
from cms.importers.faq_text import parse_faq
from cms.pages.models import CampaignHelpLine, CampaignKeyDate, CampaignPage, FAQPage, HomePage
from cms.snippets.models import ContactPoint, HelpLine, SourceCitation

SOURCE_LANGUAGE = "nl"


def locale(code: str) -> Locale:
    return Locale.objects.get(language_code=code)


@transaction.atomic
def load_demo_content(*, log=print) -> None:
    home = _ensure_home_pages()
    helplines = _ensure_helplines()
    citations = _ensure_citations()
    campaign = _ensure_campaign(home, helplines)
    _ensure_faqs(campaign, helplines, citations, log=log)
    log(
        gettext(
            "Demo content ready: campaign “%(campaign)s”, FAQ in %(languages)s, "
            "%(helplines)s help-lines, %(citations)s citations."
        )
        % {
            "campaign": campaign.title,
            "languages": ", ".join(data.FAQ),
            "helplines": len(helplines),
            "citations": len(citations),
        }
    )


def _publish(obj) -> None:
    obj.save_revision(log_action=True).publish()


_VOLATILE = {
    "pk",
    "id",
    "translation_key",
    "latest_revision",
    "live_revision",
    "has_unpublished_changes",
    "last_published_at",
    "first_published_at",
    "latest_revision_created_at",
    "draft_title",
    "url_path",
    "live",
    "page",
    "helpline",
    "sort_order",
}


def _content(obj):
    """What an object says, without ids and bookkeeping, to tell whether a re-run changes anything."""

    def strip(value):
        if isinstance(value, dict):
            return {key: strip(item) for key, item in value.items() if key not in _VOLATILE}
        if isinstance(value, list):
            return [strip(item) for item in value]
        return value

    return strip(obj.serializable_data())


def _save_and_publish_if_changed(obj, before) -> None:
    obj.full_clean()
    if before is not None and obj.live and not obj.has_unpublished_changes and _content(obj) == before:
        return
    obj.save()
    _publish(obj)


def _ensure_home_pages() -> HomePage:
    root = Page.get_first_root_node()
    home = HomePage.objects.filter(locale=locale(SOURCE_LANGUAGE)).first()
    if home is None:
        title, slug = data.HOME[SOURCE_LANGUAGE]
        home = root.add_child(instance=HomePage(title=title, slug=slug, locale=locale(SOURCE_LANGUAGE)))
        _publish(home)
        site = Site.objects.filter(is_default_site=True).first()
        welcome = site.root_page if site else None
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Baken"},
        )
        # Wagtail's placeholder "Welcome" page is not part of Baken's content.
        if welcome is not None and welcome.specific_class is Page and not welcome.get_children().exists():
            welcome.delete()
    for code, (title, slug) in data.HOME.items():
        if code != SOURCE_LANGUAGE and home.get_translation_or_none(locale(code)) is None:
            translated = home.copy_for_translation(locale(code))
            translated.title, translated.slug = title, slug
            translated.save()
            _publish(translated)
    return home


def _ensure_helplines() -> dict[str, HelpLine]:
    helplines = {}
    for spec in data.HELPLINES:
        source = HelpLine.objects.filter(slug=spec["slug"], locale=locale(SOURCE_LANGUAGE)).first()
        for code, texts in spec["translations"].items():
            if code == SOURCE_LANGUAGE:
                helpline = source or HelpLine(locale=locale(code))
            else:
                helpline = source.get_translation_or_none(locale(code)) or source.copy_for_translation(
                    locale(code)
                )
            before = _content(helpline) if helpline.pk else None
            helpline.name = texts["name"]
            helpline.description = texts["description"]
            for field in ("organisation", "is_free", "anonymous_possible", "available_24_7", "languages"):
                setattr(helpline, field, spec[field])
            helpline.slug, helpline.area_served = spec["slug"], spec["area_served"]
            existing = list(helpline.contact_points.all())
            points = []
            for index, ((contact_type, value), label) in enumerate(
                zip(spec["contact_points"], texts["labels"], strict=True)
            ):
                point = existing[index] if index < len(existing) else ContactPoint()
                point.contact_type, point.value, point.label = contact_type, value, label
                point.full_clean(exclude=["helpline"])
                points.append(point)
            helpline.contact_points = points
            _save_and_publish_if_changed(helpline, before)
            if code == SOURCE_LANGUAGE:
                source = helpline
        helplines[spec["slug"]] = source
    return helplines


def _ensure_citations() -> dict[str, SourceCitation]:
    citations = {}
    for spec in data.CITATIONS:
        source = SourceCitation.objects.filter(url=spec["url"], locale=locale(SOURCE_LANGUAGE)).first()
        for code, texts in spec["translations"].items():
            if code == SOURCE_LANGUAGE:
                citation = source or SourceCitation(locale=locale(code))
            else:
                citation = source.get_translation_or_none(locale(code)) or source.copy_for_translation(
                    locale(code)
                )
            before = _content(citation) if citation.pk else None
            for field in ("organisation", "publisher", "citation_type", "url", "publication_date"):
                setattr(citation, field, spec[field])
            citation.title, citation.language = texts["title"], texts["language"]
            _save_and_publish_if_changed(citation, before)
            if code == SOURCE_LANGUAGE:
                source = citation
        citations[spec["key"]] = source
    return citations


def _ensure_campaign(home: HomePage, helplines: dict[str, HelpLine]) -> CampaignPage:
    campaign = CampaignPage.objects.filter(slug=data.CAMPAIGN["slug"], locale=home.locale).first()
    for code, texts in data.CAMPAIGN["translations"].items():
        if code == SOURCE_LANGUAGE:
            page = campaign
            if page is None:
                page = home.add_child(
                    instance=CampaignPage(
                        title=texts["title"],
                        slug=data.CAMPAIGN["slug"],
                        summary=texts["summary"],
                        locale=home.locale,
                    )
                )
        else:
            page = campaign.get_translation_or_none(locale(code))
            if page is None:
                page = campaign.copy_for_translation(locale(code), copy_parents=True).specific
        before = _content(page)
        page.title, page.summary = texts["title"], texts["summary"]
        page.key_dates = [
            CampaignKeyDate(
                date=data.CAMPAIGN["key_date"], label=texts["key_date_label"], recurs_annually=True
            )
        ]
        page.campaign_helplines = [
            CampaignHelpLine(helpline=helpline.get_translation_or_none(locale(code)) or helpline)
            for helpline in helplines.values()
        ]
        _save_and_publish_if_changed(page, before)
        if code == SOURCE_LANGUAGE:
            campaign = page
    return campaign


def _ensure_faqs(campaign, helplines, citations, *, log) -> None:
    source_page = None
    for code, spec in data.FAQ.items():
        try:
            text = spec["path"].read_text(encoding="utf-8-sig")
        except OSError as error:
            raise RuntimeError(
                gettext("Cannot read the demo FAQ %(path)s: %(error)s")
                % {"path": spec["path"], "error": error}
            ) from error
        result = import_faq_page(
            parsed=parse_faq(text),
            campaign=campaign,
            locale=locale(code),
            slug=spec["slug"],
            title=spec["title"],
            translation_of=source_page if code != SOURCE_LANGUAGE else None,
            # The demo content is published by the system (no user): the importer's default is a draft.
            publish=True,
        )
        _attach_links(result.page, helplines, citations, language_code=code)
        if code == SOURCE_LANGUAGE:
            source_page = result.page
        outcome = (
            gettext("FAQ %(language)s: created (%(path)s)")
            if result.created
            else gettext("FAQ %(language)s: up to date (%(path)s)")
        )
        log(outcome % {"language": code, "path": result.page.url_path})


def _attach_links(page: FAQPage, helplines, citations, *, language_code: str) -> None:
    target = locale(language_code)

    def translated(obj):
        return (obj.get_translation_or_none(target) or obj).pk

    body = page.body.raw_data
    changed = False
    position = 0
    for section in body:
        for item in section["value"]["questions"]:
            links = data.QUESTION_LINKS.get(position, {"helplines": [], "citations": []})
            wanted_helplines = [translated(helplines[slug]) for slug in links["helplines"]]
            wanted_citations = [translated(citations[key]) for key in links["citations"]]
            question = item["value"]
            current_helplines = [
                entry["value"] if isinstance(entry, dict) else entry
                for entry in question.get("helplines", [])
            ]
            current_citations = [
                entry["value"] if isinstance(entry, dict) else entry
                for entry in question.get("citations", [])
            ]
            if current_helplines != wanted_helplines or current_citations != wanted_citations:
                question["helplines"] = list_items(wanted_helplines)
                question["citations"] = list_items(wanted_citations)
                changed = True
            position += 1
    if changed:
        page.body = body
        page.full_clean()
        _publish(page)
