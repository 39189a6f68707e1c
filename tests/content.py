"""The one way the tests build content: as editors make it, through :class:`ContentBuilder`.

Ask the ``content`` fixture (tests/conftest.py) for pages, snippets and translations instead of
creating model rows by hand:

- A page is added below its parent, then a revision is saved and published (:func:`publish`), as
  the admin's "Publish" does. ``live=False`` leaves it a draft: a revision saved, never published.
- A snippet (help-line, citation) likewise: saved, then a revision published, or with
  ``live=False`` a draft revision. ``revision=False`` saves the row alone (no revision, no history,
  ``live`` as given), for tests of the model, the listings and the reports that need no history;
  ``unsaved_helpline`` / ``unsaved_citation`` build one without saving it, for validation tests.
- A translation is made with ``copy_for_translation``, as Wagtail's "Translate" does: its fields
  are changed and saved, then it is published, or left a draft with ``publish_it=False``.
- An FAQ body is raw StreamField data, as the admin posts it: :func:`section` items holding
  :func:`question` items, which choose help-lines and citations (:func:`chosen`).
- :meth:`ContentBuilder.page_tree` is the usual tree: home → campaign → FAQ (:class:`PageTree`).
- What was stored is read back with :func:`questions`, :func:`item_values` and :func:`contact_points`.
- What the admin's help-line add form posts is :func:`helpline_add_form`.

The nl home is the default site's root page, so page links resolve (``/schat-je-schatje/``).
``SEED_FAQ`` is the campaign's original FAQ and ``SEED_QUESTIONS`` its questions. Snippet defaults
are those of tests/factories.py, which only this builder uses. The people who edit the content are
made by tests/users.py.
"""

import datetime as dt
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from wagtail.models import Locale, Page
from wagtail.models import Site as WagtailSite

from cms.pages.models import CampaignHelpLine, CampaignKeyDate, CampaignPage, FAQPage, HomePage
from cms.snippets.models import ContactPoint, HelpLine, OpeningHours, SourceCitation
from tests.factories import HelpLineFactory, SourceCitationFactory

# The campaign's original FAQ, carried by the repository (a reference copy may stand in ../shared/seed/).
SEED_FAQ = Path(__file__).resolve().parents[1] / "cms" / "demo" / "content" / "schat-je-schatje-faq.nl.txt"
REFERENCE_SEED_FAQ = Path(__file__).resolve().parents[2] / "shared" / "seed" / "schat-je-schatje-faq.nl.txt"

# The seed's questions, exactly as written, in order.
SEED_QUESTIONS = [
    "Waarom is de 'Schat je schatje'- campagne belangrijk?",
    "Kan ik de beelden weer verwijderen?",
    "Hoe zijn de waarden berekend?",
    "Wat doet Child Focus tegen seksuele uitbuiting van kinderen?",
    "Waarom nu?",
    "Wat als ik iets concreet te melden heb?",
]


def publish(obj):
    """Save a revision of a page or snippet and publish it, as an editor's 'Publish' does; return
    the object, refreshed from the database."""
    revision = obj.save_revision()
    revision.publish()
    obj.refresh_from_db()
    return obj


# --- FAQ bodies (raw StreamField data) -------------------------------------------------------------


def chosen(*objects) -> list[dict]:
    """ListBlock raw data for the snippets chosen on a question (objects or pks), as the admin stores it."""
    return [{"type": "item", "value": getattr(obj, "pk", obj), "id": str(uuid.uuid4())} for obj in objects]


def question(
    text: str, answer: str = "<p>Antwoord.</p>", *, anchor: str = "", helplines=(), citations=()
) -> dict:
    """One QuestionBlock item, linking help-lines / citations by object or pk."""
    return {
        "type": "item",
        "id": str(uuid.uuid4()),
        "value": {
            "question": text,
            "anchor": anchor,
            "answer": answer,
            "helplines": chosen(*helplines),
            "citations": chosen(*citations),
        },
    }


def section(heading: str, *questions: dict) -> dict:
    """One SectionBlock of an FAQ body, holding these :func:`question` items."""
    return {
        "type": "section",
        "id": str(uuid.uuid4()),
        "value": {"heading": heading, "questions": list(questions)},
    }


# --- reading content back ------------------------------------------------------------------------


def questions(page: FAQPage) -> list[dict]:
    """The stored values of an FAQ page's questions (raw data), in order."""
    return [item["value"] for section in page.body.raw_data for item in section["value"]["questions"]]


def item_values(items) -> list:
    """The values of ListBlock raw data (the pks :func:`chosen` wrote), items without ids too."""
    return [item["value"] if isinstance(item, dict) else item for item in items]


def contact_points(helpline: HelpLine) -> list[tuple[str, str, str]]:
    """The stored (live) contact points of a help-line: type, value, label."""
    return list(
        ContactPoint.objects.filter(helpline_id=helpline.pk)
        .order_by("sort_order")
        .values_list("contact_type", "value", "label")
    )


# --- admin form data --------------------------------------------------------------------------------


def helpline_add_form(name: str, slug: str, point: tuple[str, str, str], **fields) -> dict:
    """What the admin's "Add help-line" form posts: one contact ``point`` (type, value, label), no
    opening hours, free and open 24/7 in Europe/Brussels, in nl for BE, a review every 180 days;
    ``fields`` add or replace form fields (``**{"action-publish": "action-publish"}``)."""
    contact_type, value, label = point
    return {
        "name": name,
        "slug": slug,
        "organisation": "Child Focus",
        "description": "",
        "is_free": "on",
        "available_24_7": "on",
        "time_zone": "Europe/Brussels",
        "languages": ["nl"],
        "area_served": "BE",
        "last_verified": "",
        "review_interval_days": "180",
        "contact_points-TOTAL_FORMS": "1",
        "contact_points-INITIAL_FORMS": "0",
        "contact_points-MIN_NUM_FORMS": "1",
        "contact_points-MAX_NUM_FORMS": "1000",
        "contact_points-0-id": "",
        "contact_points-0-ORDER": "1",
        "contact_points-0-DELETE": "",
        "contact_points-0-contact_type": contact_type,
        "contact_points-0-value": value,
        "contact_points-0-label": label,
        "opening_hours-TOTAL_FORMS": "0",
        "opening_hours-INITIAL_FORMS": "0",
        "opening_hours-MIN_NUM_FORMS": "0",
        "opening_hours-MAX_NUM_FORMS": "1000",
        **fields,
    }


# --- the builder -------------------------------------------------------------------------------------


@dataclass
class PageTree:
    """One locale's pages: home → campaign (→ FAQ), plus their translations by language code."""

    home: HomePage
    campaign: CampaignPage
    faq: FAQPage | None
    homes: dict[str, HomePage] = field(default_factory=dict)
    campaigns: dict[str, CampaignPage] = field(default_factory=dict)


def _kept(obj, *, live: bool, revision: bool = True):
    """A saved page or snippet as an editor leaves it: published when live, else a draft revision."""
    if not revision:
        return obj
    if live:
        return publish(obj)
    obj.save_revision()
    return type(obj).objects.get(pk=obj.pk)


class ContentBuilder:
    """Creates pages, snippets and translations the way editors do (see the module docstring)."""

    def __init__(self):
        self.locales = {locale.language_code: locale for locale in Locale.objects.all()}
        self.root = Page.get_first_root_node()

    # pages -----------------------------------------------------------------------------

    def home(self, code: str = "nl") -> HomePage:
        """The home page of a locale: the nl one under the Wagtail root (the default site's root
        page, so page links resolve), the others its translations."""
        existing = HomePage.objects.filter(locale=self.locales[code]).first()
        if existing is not None:
            return existing
        if code != "nl":
            return self.translate_page(self.home("nl"), code)
        home = self.root.add_child(instance=HomePage(title="Baken", slug="baken", locale=self.locales["nl"]))
        publish(home)
        default_site = WagtailSite.objects.get(is_default_site=True)
        default_site.root_page = home
        default_site.save()
        return home

    def campaign(
        self,
        slug: str = "schat-je-schatje",
        title: str = "Schat je schatje",
        *,
        summary: str = "Een campagne van Child Focus.",
        helplines=(),
        key_dates=(),
        live: bool = True,
        code: str = "nl",
    ) -> CampaignPage:
        """A campaign below the locale's home; ``key_dates`` are (date, label, recurs_annually)."""
        page = CampaignPage(title=title, slug=slug, summary=summary, locale=self.locales[code], live=live)
        page.key_dates = [
            CampaignKeyDate(date=d, label=label, recurs_annually=r) for d, label, r in key_dates
        ]
        page.campaign_helplines = [CampaignHelpLine(helpline=h) for h in helplines]
        self.home(code).add_child(instance=page)
        return _kept(page, live=live)

    def faq(
        self,
        parent: CampaignPage,
        slug: str = "veelgestelde-vragen",
        title: str = "Veelgestelde vragen",
        *,
        sections=(),
        intro: str = "",
        live: bool = True,
    ) -> FAQPage:
        """An FAQ page below a campaign, in its locale; ``sections`` are :func:`section` items."""
        page = FAQPage(
            title=title, slug=slug, intro=intro, body=list(sections), locale=parent.locale, live=live
        )
        parent.add_child(instance=page)
        return _kept(page, live=live)

    def translate_page(self, page: Page, code: str, *, publish_it: bool = True, **fields) -> Page:
        """The page's translation into ``code`` (copy_for_translation), with ``fields`` changed."""
        translated = page.specific.copy_for_translation(self.locales[code]).specific
        if fields:
            for name, value in fields.items():
                setattr(translated, name, value)
            translated.save()
        return _kept(translated, live=publish_it)

    def page_tree(
        self,
        *,
        with_faq: bool = True,
        campaign_slug: str = "schat-je-schatje",
        translations: tuple[str, ...] = (),
    ) -> PageTree:
        """The nl home, a campaign below it and (``with_faq``) its FAQ "veelgestelde-vragen".

        ``translations`` lists other language codes whose home and campaign translations to make
        (published), so an FAQ can be imported or translated into them.
        """
        home = self.home()
        campaign = self.campaign(campaign_slug)
        faq = self.faq(campaign) if with_faq else None
        tree = PageTree(home=home, campaign=campaign, faq=faq, homes={"nl": home}, campaigns={"nl": campaign})
        for code in translations:
            tree.homes[code] = self.home(code)
            tree.campaigns[code] = self.translate_page(campaign, code)
        return tree

    # snippets --------------------------------------------------------------------------

    def _helpline_fields(self, slug, name, points, hours, code, fields) -> dict:
        """HelpLineFactory's arguments: ``points`` are (type, value, label), ``hours`` (weekday,
        "HH:MM", "HH:MM"); without them, the factory's one phone number and no opening hours."""
        given = {"slug": slug, "name": name, "locale": self.locales[code] if code else None}
        fields = {**{key: value for key, value in given.items() if value is not None}, **fields}
        if points is not None:
            # Numbered as the admin's inline panel numbers them, so their order is the given one.
            fields["contact_points"] = [
                ContactPoint(contact_type=kind, value=value, label=label, sort_order=index)
                for index, (kind, value, label) in enumerate(points)
            ]
        if hours is not None:
            fields["opening_hours"] = [
                OpeningHours(weekday=day, opens=dt.time.fromisoformat(o), closes=dt.time.fromisoformat(c))
                for day, o, c in hours
            ]
        return fields

    def helpline(
        self,
        slug: str | None = None,
        name: str | None = None,
        *,
        points=None,
        hours=None,
        code: str | None = None,
        live: bool = True,
        revision: bool = True,
        **fields,
    ) -> HelpLine:
        """A help-line in ``code``'s locale (nl by default), published (``live=False``: a draft;
        ``revision=False``: the row alone, ``live`` as given)."""
        helpline = HelpLineFactory(
            live=live, **self._helpline_fields(slug, name, points, hours, code, fields)
        )
        return _kept(helpline, live=live, revision=revision)

    def mondays_helpline(self, **fields) -> HelpLine:
        """The 116000 help-line ("child-focus-116000", "Hulplijn 116000") open on Mondays only,
        09:00–17:00 (not 24/7), with one phone number: 116000, "Bel gratis 116000"; ``fields``
        change or add to that (``points=…``), as for :meth:`helpline`."""
        defaults = {
            "points": [("phone", "116000", "Bel gratis 116000")],
            "available_24_7": False,
            "hours": [(0, "09:00", "17:00")],
        }
        return self.helpline("child-focus-116000", "Hulplijn 116000", **{**defaults, **fields})

    def unsaved_helpline(
        self, slug=None, name=None, *, points=None, hours=None, code=None, **fields
    ) -> HelpLine:
        """A help-line as :meth:`helpline` makes it, not saved (for ``full_clean`` and the model)."""
        return HelpLineFactory.build(**self._helpline_fields(slug, name, points, hours, code, fields))

    def citation(
        self,
        title: str | None = None,
        *,
        code: str | None = None,
        live: bool = True,
        revision: bool = True,
        **fields,
    ) -> SourceCitation:
        """A source citation in ``code``'s locale (nl by default), published (``live=False``: a
        draft; ``revision=False``: the row alone, ``live`` as given)."""
        citation = SourceCitationFactory(live=live, **self._citation_fields(title, code, fields))
        return _kept(citation, live=live, revision=revision)

    def unsaved_citation(
        self, title: str | None = None, *, code: str | None = None, **fields
    ) -> SourceCitation:
        """A citation as :meth:`citation` makes it, not saved (for ``full_clean`` and the model)."""
        return SourceCitationFactory.build(**self._citation_fields(title, code, fields))

    def _citation_fields(self, title, code, fields) -> dict:
        given = {"title": title, "locale": self.locales[code] if code else None}
        return {**{key: value for key, value in given.items() if value is not None}, **fields}

    def translate_snippet(
        self, obj, code: str, *, publish_it: bool = True, revision: bool = True, labels=(), **fields
    ):
        """The snippet's translation into ``code`` (copy_for_translation), with ``fields`` changed
        and its contact points relabelled with ``labels``, in order; ``revision=False`` saves the
        copy's row alone (``live`` as the source's)."""
        translated = obj.copy_for_translation(self.locales[code])
        for name, value in fields.items():
            setattr(translated, name, value)
        if labels:
            for point, label in zip(translated.contact_points.all(), labels, strict=True):
                point.label = label
        if not revision:
            translated.save()
            return translated
        # The copy carries the source's ``live`` flag: a translation in the making is a draft.
        translated.live = publish_it
        translated.save()
        if publish_it:
            return publish(translated)
        translated.save_revision()
        return type(obj).objects.get(pk=translated.pk)
