"""Fixtures for the public read API v1 tests: the standard site, an API client and the
OpenAPI / CSL validators.

Content is built the way editors make it (revisions, publishing, ``copy_for_translation``)
through the shared builder of tests/content.py, here with the API tests' snippet defaults
(:class:`ApiContent`, fixture ``content``). ``site`` is the standard small site most
tests start from (see :class:`Site`): built once per module, each test sees it fresh and whatever
a test changes is rolled back. Modules that need an empty database do not use ``site``.
"""

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from jsonschema import Draft7Validator, Draft202012Validator

from cms.pages.models import CampaignHelpLine, CampaignPage, FAQPage
from cms.snippets.models import HelpLine, SourceCitation
from tests.content import ContentBuilder, publish, question, section

API = "/api/v1"
LOCALES = ("nl", "fr", "en", "de")
PROBLEM_JSON = "application/problem+json"
CSL_JSON = "application/vnd.citationstyles.csl+json"
# Vendored (tests/schemas/README.md): the suite needs nothing outside the repository.
CSL_SCHEMA_PATH = Path(__file__).resolve().parents[1] / "schemas" / "csl-data.json"
REFERENCE_CSL_SCHEMA_PATH = Path(__file__).resolve().parents[3] / "shared" / "schemas" / "csl-data.json"


# --- building content ---------------------------------------------------------------------


class ApiContent(ContentBuilder):
    """The shared builder (tests/content.py) with the API tests' snippet defaults.

    A help-line describes itself by its name ("Beschrijving van …", so a leaked description names
    a hidden help-line) and may be called anonymously; a citation is a Council of Europe
    legislation text in English, with no publication date, unless told otherwise.
    """

    def helpline(self, slug: str, name: str, **fields) -> HelpLine:
        defaults = {"description": f"Beschrijving van {name}.", "anonymous_possible": True}
        return super().helpline(slug, name, **{**defaults, **fields})

    def citation(self, title: str, **fields) -> SourceCitation:
        defaults = {
            "organisation": "Council of Europe",
            "publisher": "Council of Europe",
            "url": "https://www.coe.int/lanzarote",
            "citation_type": "legislation",
            "language": "en",
            "publication_date": None,
        }
        return super().citation(title, **{**defaults, **fields})


@pytest.fixture(autouse=True)
def _database_answers(settings):
    """Every request is answered from the database, not from the shared response cache.

    These tests run inside transactions that are never committed, and the cache is invalidated
    on commit; the cache itself is tested in tests/test_response_cache.py.
    """
    settings.BAKEN_API_RESPONSE_CACHE = False


@pytest.fixture
def content(db) -> ApiContent:
    return ApiContent()


# --- the standard small site -----------------------------------------------------------------

NL_SECTIONS_TEXT = {
    "waarom-nu": ("Waarom nu?", "<p>Op <b>18 november</b> is het de Europese dag.</p>"),
    "beelden-verwijderen": (
        "Kan ik de beelden verwijderen?",
        '<p>Ja, meld ze via <a href="https://www.stopchildporno.be">stopchildporno.be</a>.</p>',
    ),
    "melden": ("Wat als ik iets wil melden?", "<ul><li>Bel 116000</li><li>Mail ons</li></ul>"),
}
FR_SECTIONS_TEXT = {
    "waarom-nu": ("Pourquoi maintenant ?", "<p>Le <b>18 novembre</b> est la journée européenne.</p>"),
    "beelden-verwijderen": (
        "Puis-je supprimer les images ?",
        '<p>Oui, signalez-les sur <a href="https://www.stopchildporno.be">stopchildporno.be</a>.</p>',
    ),
    "melden": ("Que faire si je veux signaler ?", "<ul><li>Appelez le 116000</li><li>Écrivez-nous</li></ul>"),
}


def faq_sections(texts: dict, *, helplines=(), citations=(), extra_helplines=(), extra_citations=()):
    """The standard FAQ body: two sections, three questions, links on the first and last question."""
    return [
        section(
            "Over de campagne",
            question(*texts["waarom-nu"], anchor="waarom-nu", citations=[*citations, *extra_citations]),
            question(*texts["beelden-verwijderen"], anchor="beelden-verwijderen"),
        ),
        section(
            "Hulp",
            question(*texts["melden"], anchor="melden", helplines=[*helplines, *extra_helplines]),
        ),
    ]


SITE_OBJECTS = {
    "campaign": CampaignPage,
    "campaign_fr": CampaignPage,
    "campaign_en": CampaignPage,
    "faq": FAQPage,
    "faq_fr": FAQPage,
    "hl_247": HelpLine,
    "hl_247_fr": HelpLine,
    "hl_office": HelpLine,
    "cit_lanzarote": SourceCitation,
    "cit_lanzarote_fr": SourceCitation,
    "cit_lanzarote_en": SourceCitation,
    "cit_report": SourceCitation,
}


@dataclass
class Site:
    """nl home (+ fr, en translations; none in de) → campaign "schat-je-schatje" (nl, fr, en)
    → FAQ "veelgestelde-vragen" (nl) translated to fr as "questions-frequentes" (no en, no de).

    Help-lines: "child-focus-116000" (24/7, nl + fr) and "kantoor-lijn" (Mon–Fri 09–17 in
    Europe/Brussels, nl only). Citations: "Verdrag van Lanzarote" (nl, fr, en) and "Jaarverslag
    2024" (nl only, two personal authors). The first question cites Lanzarote; the last one
    links both help-lines; the campaign shows both help-lines and has a yearly key date.
    """

    content: ApiContent
    campaign: CampaignPage
    campaign_fr: CampaignPage
    campaign_en: CampaignPage
    faq: FAQPage
    faq_fr: FAQPage
    hl_247: HelpLine
    hl_247_fr: HelpLine
    hl_office: HelpLine
    cit_lanzarote: SourceCitation
    cit_lanzarote_fr: SourceCitation
    cit_lanzarote_en: SourceCitation
    cit_report: SourceCitation

    @classmethod
    def load(cls, pks: dict[str, int]) -> "Site":
        """Fresh instances from the database (tests may change them; each test starts clean)."""
        objects = {name: model.objects.get(pk=pks[name]) for name, model in SITE_OBJECTS.items()}
        return cls(content=ApiContent(), **objects)

    def republish_faq(self, *, extra_helplines=(), extra_citations=()) -> FAQPage:
        """Publish a new revision of the nl FAQ with extra help-lines/citations linked."""
        self.faq.body = faq_sections(
            NL_SECTIONS_TEXT,
            helplines=[self.hl_247, self.hl_office],
            citations=[self.cit_lanzarote],
            extra_helplines=extra_helplines,
            extra_citations=extra_citations,
        )
        self.faq = publish(self.faq)
        return self.faq

    def republish_campaign(self, helplines) -> CampaignPage:
        self.campaign.campaign_helplines = [CampaignHelpLine(helpline=h) for h in helplines]
        self.campaign = publish(self.campaign)
        return self.campaign


def build_site(content: ApiContent) -> dict[str, int]:
    """Build the standard site; returns the pks of its objects (see ``Site``)."""
    hl_247 = content.helpline("child-focus-116000", "Hulplijn 116000")
    hl_247_fr = content.translate_snippet(
        hl_247, "fr", name="Ligne d'aide 116000", description="Jour et nuit.", labels=["Appelez le 116000"]
    )
    hl_office = content.helpline(
        "kantoor-lijn",
        "Kantoorlijn",
        points=(
            ("phone", "+3224754411", "Bel ons tijdens de kantooruren"),
            ("email", "hulp@example.org", "Mail ons"),
        ),
        available_24_7=False,
        hours=[(day, "09:00", "17:00") for day in range(5)],
        anonymous_possible=False,
    )
    cit_lanzarote = content.citation(
        "Verdrag van Lanzarote", publication_date=dt.date(2007, 10, 25), language="en"
    )
    cit_lanzarote_fr = content.translate_snippet(cit_lanzarote, "fr", title="Convention de Lanzarote")
    cit_lanzarote_en = content.translate_snippet(cit_lanzarote, "en", title="Lanzarote Convention")
    cit_report = content.citation(
        "Jaarverslag 2024",
        authors="Janssens, Piet\nPeeters, An",
        organisation="",
        publisher="Child Focus",
        url="https://www.childfocus.be/jaarverslag-2024",
        citation_type="report",
        language="nl",
        publication_date=dt.date(2025, 3, 1),
        accessed_date=dt.date(2025, 6, 2),
        notes="<p>Zie <b>p. 12</b>.</p>",
    )
    for code in ("fr", "en"):
        content.home(code)
    campaign = content.campaign(
        key_dates=[(dt.date(2015, 11, 18), "Europese dag", True)], helplines=[hl_247, hl_office]
    )
    campaign_fr = content.translate_page(campaign, "fr", summary="Une campagne de Child Focus.")
    campaign_en = content.translate_page(campaign, "en", summary="A Child Focus campaign.")
    faq = content.faq(
        campaign,
        "veelgestelde-vragen",
        "Veelgestelde vragen",
        intro="<p>Alles over de campagne.</p>",
        sections=faq_sections(NL_SECTIONS_TEXT, helplines=[hl_247, hl_office], citations=[cit_lanzarote]),
    )
    faq_fr = content.translate_page(
        faq,
        "fr",
        slug="questions-frequentes",
        title="Questions fréquentes",
        intro="<p>Tout sur la campagne.</p>",
        body=faq_sections(FR_SECTIONS_TEXT, helplines=[hl_247, hl_office], citations=[cit_lanzarote]),
    )
    objects = locals()
    return {name: objects[name].pk for name in SITE_OBJECTS}


@pytest.fixture(scope="module")
def site_pks(django_db_setup, django_db_blocker):
    """The standard site, built once per test module inside a transaction rolled back at its end.

    Each test runs in its own savepoint (pytest-django's ``db``), so what a test changes is undone.
    Only modules whose tests all use ``site`` should use it: the data is there for the whole module.
    """
    with django_db_blocker.unblock():
        cache.clear()
        with transaction.atomic():
            pks = build_site(ApiContent())
            yield pks
            transaction.set_rollback(True)
        cache.clear()


@pytest.fixture
def site(site_pks, db) -> Site:
    return Site.load(site_pks)


@pytest.fixture
def fresh_site(content) -> Site:
    """The standard site built inside the test itself (for modules that need an empty database)."""
    return Site.load(build_site(content))


# --- calling the API -------------------------------------------------------------------------


class Api:
    """Thin wrapper over Django's test client: ``api.get("/faqs/", locale="fr")``."""

    def __init__(self, client):
        self.client = client

    def get(
        self,
        path: str,
        params=None,
        *,
        accept_language: str | None = None,
        accept: str | None = None,
        **query,
    ):
        headers = {"HTTP_ACCEPT_LANGUAGE": accept_language} if accept_language is not None else {}
        if accept is not None:
            headers["HTTP_ACCEPT"] = accept
        data = {**(params or {}), **query}
        return self.client.get(API + path, data, **headers)

    def json(self, path: str, params=None, *, status: int = 200, **kwargs):
        response = self.get(path, params, **kwargs)
        assert response.status_code == status, (path, response.status_code, response.content[:500])
        return response.json()


@pytest.fixture
def api(client) -> Api:
    return Api(client)


def body_text(response) -> str:
    return json.dumps(response.json(), ensure_ascii=False).casefold()


def count_queries(callable_) -> tuple[int, Any]:
    """Statements sent while ``callable_`` runs, less savepoints: a test runs in a transaction, so
    there an atomic block is a savepoint and its release, where a server's is a BEGIN and COMMIT
    that Django does not record (search's planner hint on PostgreSQL, cms.search_index.fulltext)."""
    with CaptureQueriesContext(connection) as context:
        result = callable_()
    statements = [query["sql"] for query in context.captured_queries]
    return len([sql for sql in statements if not _SAVEPOINT.match(sql)]), result


_SAVEPOINT = re.compile(r'^(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT) "[^"]+"$')


def at(moment: str):
    """Patch ``django.utils.timezone.now`` to an ISO 8601 moment (with offset) for a ``with`` block."""
    from unittest import mock

    fixed = dt.datetime.fromisoformat(moment)
    assert timezone.is_aware(fixed)
    return mock.patch("django.utils.timezone.now", return_value=fixed)


# --- schema validation -----------------------------------------------------------------------


def assert_problem(response, status: int, *, invalid: set[str] | None = None) -> dict:
    """An RFC 9457 problem document with exactly this status (and these invalid parameters)."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].split(";")[0] == PROBLEM_JSON
    body = response.json()
    assert set(body) >= {"type", "title", "status", "detail"}
    assert body["status"] == status
    assert isinstance(body["type"], str) and body["type"]
    assert isinstance(body["title"], str) and body["title"]
    assert isinstance(body["detail"], str) and body["detail"]
    if invalid is not None:
        assert body["type"] == "urn:baken:problem:invalid-parameters"
        assert {item["name"] for item in body["invalid_params"]} == invalid
        assert all(item["reason"] for item in body["invalid_params"])
    return body


def _explained(error) -> str:
    """An error, and for a oneOf/anyOf the deepest reasons its alternatives failed."""
    leaves = []

    def walk(node):
        if not node.context:
            leaves.append(node)
        for child in node.context or []:
            walk(child)

    walk(error)
    text = f"{list(error.absolute_path)}: {error.message[:200]}"
    for leaf in sorted(leaves, key=lambda e: -len(e.absolute_path))[:4]:
        text += f"\n    because {list(leaf.absolute_path)} ({leaf.validator}): {leaf.message[-200:]}"
    return text


class OpenAPIValidator:
    """Validates API responses against the generated OpenAPI 3.1 document (JSON Schema 2020-12)."""

    def __init__(self, document: dict):
        self.document = document
        self.paths = []
        for template, operations in document["paths"].items():
            pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
            self.paths.append((re.compile(f"^{pattern}$"), template, operations))

    def _validate(self, schema: dict, instance) -> None:
        wrapped = {"components": self.document.get("components", {}), "allOf": [schema]}
        validator = Draft202012Validator(wrapped, format_checker=Draft202012Validator.FORMAT_CHECKER)
        errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
        assert not errors, "\n".join(_explained(error) for error in errors[:10])

    def component(self, name: str, instance) -> None:
        self._validate({"$ref": f"#/components/schemas/{name}"}, instance)

    def operation(self, path: str, method: str = "get") -> tuple[str, dict] | None:
        for pattern, template, operations in self.paths:
            if pattern.match(path) and method in operations:
                return template, operations[method]
        return None

    def validate(self, response) -> str:
        """Validate one response; returns the path template it was checked against."""
        path = response.request["PATH_INFO"]
        method = response.request["REQUEST_METHOD"].lower()
        content_type = response["Content-Type"].split(";")[0].strip()
        found = self.operation(path, method)
        if found is None:
            # Not an operation of the API (unknown path or method): must be a problem document.
            assert content_type == PROBLEM_JSON, (path, method, content_type)
            self.component("Problem", response.json())
            return "<problem>"
        template, operation = found
        responses = operation["responses"]
        status = str(response.status_code)
        assert status in responses, f"{method.upper()} {template}: status {status} is not documented"
        media_types = responses[status].get("content", {})
        assert content_type in media_types, (
            f"{method.upper()} {template} {status}: {content_type} not documented (only {list(media_types)})"
        )
        self._validate(media_types[content_type]["schema"], response.json())
        return template


@pytest.fixture(scope="session")
def openapi_document() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.fixture(scope="session")
def openapi(openapi_document) -> OpenAPIValidator:
    return OpenAPIValidator(openapi_document)


@pytest.fixture(scope="session")
def csl_validator() -> Draft7Validator:
    assert CSL_SCHEMA_PATH.is_file(), f"CSL schema missing: {CSL_SCHEMA_PATH}"
    schema = json.loads(CSL_SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)
