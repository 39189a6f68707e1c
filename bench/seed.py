"""Seed the benchmark database: N FAQ pages per locale (nl, fr, en, de), fast and in bulk.

The text is the campaign's own FAQ — the Dutch seed (``../shared/seed``), the French and English
demo translations (``cms/demo/content``) and a German translation (``bench/content/faq.de.txt``) —
plus three questions per language built only from facts stated in that FAQ
(``bench/content/extra.*.txt``). Each generated page has 8 of these 9 questions, in two sections
and a page-specific order, with the help-lines and citations the demo attaches to them. Page
``i`` has the same ``translation_key``, structure and links in every locale, as translations do.

Pages are real Wagtail pages: rows in ``wagtailcore_page`` and ``cms_faqpage`` placed in the
tree below each locale's campaign page (treebeard paths, the parent's ``numchild``,
``url_path``), live, published and indexed in the search backend. For speed they are inserted in
batches (``bulk_create`` of the page rows, one multi-row insert for the FAQ rows) instead of one
``add_child()`` + ``save_revision()`` per page: a seeded page has no revision history and no
reference-index rows, neither of which the public APIs read. Post-save signals do not fire, so
the API response cache is invalidated explicitly at the end.
"""

import datetime as dt
import random
import time
import uuid
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Locale, Page
from wagtail.search.backends import get_search_backend

from api.response_cache import versions
from cms.demo import data
from cms.importers.faq_pages import list_items
from cms.importers.faq_text import parse_faq
from cms.pages.models import CampaignKeyDate, CampaignPage, FAQPage
from cms.search_index import maintenance
from cms.snippets.models import HelpLine, SourceCitation

LOCALES = ("nl", "fr", "en", "de")
CONTENT_DIR = Path(__file__).resolve().parent / "content"
FAQ_SOURCES = {
    "nl": data.SEED_FAQ_NL,
    "fr": data.FAQ["fr"]["path"],
    "en": data.FAQ["en"]["path"],
    "de": CONTENT_DIR / "faq.de.txt",
}
KEY_NAMESPACE = uuid.UUID("6f1c3a52-58a4-4f0e-9a51-0b6a0c2d7e11")
BATCH_SIZE = 500
QUESTIONS_PER_PAGE = 8

# Questions 0–5 are the campaign FAQ in its order, 6–8 the extra ones. Which section each goes to,
# and what it links to (the demo's choices for 0–5; what the answer mentions for 6–8).
ABOUT_CAMPAIGN = {0, 1, 2, 4, 8}
LINKS = {
    **data.QUESTION_LINKS,
    6: {"helplines": ["child-focus-116000"], "citations": []},
    7: {"helplines": ["stopchildporno-be", "child-focus-116000"], "citations": []},
    8: {"helplines": [], "citations": ["lanzarote-convention"]},
}
SECTION_HEADINGS = {
    "nl": ("Over de campagne", "Hulp zoeken en melden"),
    "fr": ("À propos de la campagne", "Chercher de l'aide et signaler"),
    "en": ("About the campaign", "Getting help and reporting"),
    "de": ("Über die Kampagne", "Hilfe suchen und melden"),
}
TITLES = {
    "nl": "Veelgestelde vragen voor {audience} in {place}",
    "fr": "Questions fréquentes pour les {audience} à {place}",
    "en": "Frequently asked questions for {audience} in {place}",
    "de": "Häufig gestellte Fragen für {audience} in {place}",
}
AUDIENCES = {
    "nl": ("ouders", "leerkrachten", "jongeren", "grootouders", "jeugdbewegingen", "sportclubs",
           "hulpverleners", "journalisten"),
    "fr": ("parents", "enseignants", "jeunes", "grands-parents", "mouvements de jeunesse",
           "clubs sportifs", "travailleurs sociaux", "journalistes"),
    "en": ("parents", "teachers", "young people", "grandparents", "youth movements", "sports clubs",
           "care workers", "journalists"),
    "de": ("Eltern", "Lehrkräfte", "Jugendliche", "Großeltern", "Jugendbewegungen", "Sportvereine",
           "Fachkräfte der Hilfe", "Journalisten"),
}  # fmt: skip
PLACES = {
    "nl": ("Antwerpen", "Gent", "Brugge", "Leuven", "Hasselt", "Mechelen", "Brussel", "Kortrijk"),
    "fr": ("Liège", "Namur", "Charleroi", "Mons", "Bruxelles", "Arlon", "Wavre", "Tournai"),
    "en": ("Antwerp", "Ghent", "Bruges", "Leuven", "Hasselt", "Mechelen", "Brussels", "Liège"),
    "de": ("Eupen", "Sankt Vith", "Kelmis", "Büllingen", "Bütgenbach", "Raeren", "Amel", "Lontzen"),
}
GERMAN_CAMPAIGN = {
    "summary": "Eine Kampagne von Child Focus, die spürbar macht, dass die sexuelle Ausbeutung "
    "Minderjähriger auch in unserem eigenen Land Kindern schweren Schaden zufügt.",
    "key_date_label": "Europäischer Tag zum Schutz von Kindern vor sexueller Ausbeutung und "
    "sexuellem Missbrauch",
}


def translation_key(index: int) -> uuid.UUID:
    return uuid.uuid5(KEY_NAMESPACE, f"baken-bench-faq-{index}")


def slug_for(code: str, index: int) -> str:
    return f"{slugify(title_for(code, index))}-{index + 1}"


def title_for(code: str, index: int) -> str:
    return TITLES[code].format(audience=AUDIENCES[code][index % 8], place=PLACES[code][(index // 8) % 8])


def question_pool(code: str) -> list[tuple[str, str]]:
    """The 9 (question, answer HTML) pairs of a language, aligned across languages."""
    texts = [FAQ_SOURCES[code], CONTENT_DIR / f"extra.{code}.txt"]
    pool = []
    for path in texts:
        parsed = parse_faq(path.read_text(encoding="utf-8-sig"))
        pool.extend((question.question, question.answer_html) for question in parsed.questions)
    if len(pool) != 9:
        raise RuntimeError(f"Expected 9 questions for {code}, found {len(pool)} in {texts}")
    return pool


def page_layout(index: int) -> list[list[int]]:
    """Page ``index``'s sections, as question numbers; the same in every locale."""
    rng = random.Random(index)  # noqa: S311 - deterministic test data, not security
    dropped = rng.randrange(9)
    chosen = [number for number in range(9) if number != dropped]
    about = [number for number in chosen if number in ABOUT_CAMPAIGN]
    help_ = [number for number in chosen if number not in ABOUT_CAMPAIGN]
    rng.shuffle(about)
    rng.shuffle(help_)
    return [about, help_] if rng.random() < 0.7 else [help_, about]


class Context:
    """Everything page building needs, read once."""

    def __init__(self):
        self.locales = {code: Locale.objects.get(language_code=code) for code in LOCALES}
        self.pools = {code: question_pool(code) for code in LOCALES}
        self.content_type = ContentType.objects.get_for_model(FAQPage)
        self.campaigns = {code: campaign_in(code) for code in LOCALES}
        self.helpline_pks = {}
        self.citation_pks = {}
        citation_urls = {spec["key"]: spec["url"] for spec in data.CITATIONS}
        for code, locale in self.locales.items():
            for spec in data.HELPLINES:
                source = HelpLine.objects.get(slug=spec["slug"], locale=self.locales["nl"])
                self.helpline_pks[code, spec["slug"]] = (source.get_translation_or_none(locale) or source).pk
            for key, url in citation_urls.items():
                source = SourceCitation.objects.get(url=url, locale=self.locales["nl"])
                self.citation_pks[code, key] = (source.get_translation_or_none(locale) or source).pk
        self.intros = {
            code: f"<p>{data.CAMPAIGN['translations'].get(code, GERMAN_CAMPAIGN)['summary']}</p>"
            for code in LOCALES
        }


def campaign_in(code: str) -> CampaignPage:
    return CampaignPage.objects.get(slug=data.CAMPAIGN["slug"], locale__language_code=code)


def ensure_german_campaign() -> None:
    """The demo leaves German untranslated; the bench serves German pages too, below a German campaign."""
    german = Locale.objects.get(language_code="de")
    source = CampaignPage.objects.get(slug=data.CAMPAIGN["slug"], locale__language_code="nl")
    if source.get_translation_or_none(german) is not None:
        return
    page = source.copy_for_translation(german, copy_parents=True).specific
    home = page.get_parent().specific
    if not home.live:
        home.save_revision().publish()
    page.summary = GERMAN_CAMPAIGN["summary"]
    page.key_dates = [
        CampaignKeyDate(
            date=data.CAMPAIGN["key_date"], label=GERMAN_CAMPAIGN["key_date_label"], recurs_annually=True
        )
    ]
    page.save()
    page.save_revision().publish()


def build_page(ctx: Context, code: str, index: int, parent: Page, path: str, now: dt.datetime) -> FAQPage:
    pool = ctx.pools[code]
    headings = SECTION_HEADINGS[code]
    body = []
    for numbers in page_layout(index):
        questions = []
        for number in numbers:
            question, answer = pool[number]
            links = LINKS.get(number, {"helplines": [], "citations": []})
            questions.append(
                {
                    "type": "item",
                    "id": str(uuid.uuid4()),
                    "value": {
                        "question": question,
                        "anchor": slugify(question)[:72],
                        "answer": answer,
                        "helplines": list_items(
                            [ctx.helpline_pks[code, slug] for slug in links["helplines"]]
                        ),
                        "citations": list_items([ctx.citation_pks[code, key] for key in links["citations"]]),
                    },
                }
            )
        heading = headings[0] if (numbers and numbers[0] in ABOUT_CAMPAIGN) else headings[1]
        body.append(
            {
                "type": "section",
                "id": str(uuid.uuid4()),
                "value": {"heading": heading, "questions": questions},
            }
        )
    title = title_for(code, index)
    slug = slug_for(code, index)
    published = now - dt.timedelta(minutes=index)
    page = FAQPage(
        title=title,
        draft_title=title,
        slug=slug,
        path=path,
        depth=parent.depth + 1,
        numchild=0,
        url_path=f"{parent.url_path}{slug}/",
        content_type=ctx.content_type,
        locale=ctx.locales[code],
        translation_key=translation_key(index),
        live=True,
        has_unpublished_changes=False,
        first_published_at=published,
        last_published_at=published,
        intro=ctx.intros[code],
        body=body,
    )
    page.question_count = page.count_questions()  # what FAQPage.save() would set
    return page


def seeded_count(code: str) -> int:
    """Pages this module made below the campaign in ``code`` (the demo's own FAQ excluded)."""
    campaign = campaign_in(code)
    demo_slugs = [spec["slug"] for spec in data.FAQ.values()]
    return FAQPage.objects.child_of(campaign).exclude(slug__in=demo_slugs).count()


@transaction.atomic
def _insert_batch(ctx: Context, code: str, indices: list[int], now: dt.datetime) -> list[FAQPage]:
    parent = Page.objects.select_for_update().get(pk=ctx.campaigns[code].pk)
    last = parent.get_last_child()
    step = FAQPage._str2int(last.path[-FAQPage.steplen :]) + 1 if last else 1
    pages = [
        build_page(
            ctx, code, index, parent, FAQPage._get_path(parent.path, parent.depth + 1, step + offset), now
        )
        for offset, index in enumerate(indices)
    ]
    base_fields = [field for field in Page._meta.concrete_fields if not field.primary_key]
    rows = Page.objects.bulk_create(
        [Page(**{field.attname: getattr(page, field.attname) for field in base_fields}) for page in pages]
    )
    for page, row in zip(pages, rows, strict=True):
        page.id = page.page_ptr_id = row.pk
        page._state.adding = False
    own_fields = FAQPage._meta.local_concrete_fields
    columns = ", ".join(connection.ops.quote_name(field.column) for field in own_fields)
    placeholders = ", ".join(["%s"] * len(own_fields))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {connection.ops.quote_name(FAQPage._meta.db_table)} ({columns}) "  # noqa: S608
            f"VALUES ({placeholders})",
            [
                [field.get_db_prep_save(getattr(page, field.attname), connection) for field in own_fields]
                for page in pages
            ],
        )
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))
    get_search_backend().add_bulk(FAQPage, pages)
    return pages


def seed(per_locale: int, *, log=print) -> dict:
    """Grow the seeded FAQ pages to ``per_locale`` in every locale; returns timing and counts."""
    started = time.monotonic()
    ensure_german_campaign()
    ctx = Context()
    now = timezone.now().replace(microsecond=0)
    created = 0
    for code in LOCALES:
        existing = seeded_count(code)
        for start in range(existing, per_locale, BATCH_SIZE):
            indices = list(range(start, min(start + BATCH_SIZE, per_locale)))
            _insert_batch(ctx, code, indices, now)
            created += len(indices)
        if per_locale > existing:
            log(f"  seeded {code}: {existing} → {per_locale} FAQ pages")
    # bulk_create sends no post_save signals; the change log has the rows (triggers), and servers
    # would see them within a second: tell them at once.
    versions.publish()
    # As an operator does after a bulk load (manage.py update_search_index): no search waits for it.
    indexing_started = time.monotonic()
    indexed = maintenance.catch_up()
    indexing_seconds = time.monotonic() - indexing_started
    if indexed:
        log(f"  search index: {indexed} FAQ pages read in {indexing_seconds:.1f} s")
    if created and connection.vendor == "postgresql":
        # As autovacuum would soon after such a load: fresh planner statistics and visibility map.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    seconds = time.monotonic() - started
    return {
        "per_locale": per_locale,
        "created": created,
        "seconds": round(seconds, 2),
        "pages_per_second": round(created / seconds, 1) if created else None,
        "faq_pages_total": FAQPage.objects.count(),
        "search_index_seconds": round(indexing_seconds, 2),
    }
