"""One admin language per editor: Baken's own admin texts are shipped in Dutch and French.

* The catalogues (cms/locale/{nl,fr}/LC_MESSAGES/django.po) hold exactly the texts that cms/
  marks for translation — found here with Python's ``ast`` and the template tags, not with
  gettext — every one translated, none fuzzy, with the same placeholders as the original; the
  committed .mo files are what polib compiles from them (``manage.py compile_translations``).
* A Baken text that Wagtail or Django also translates ("Status", "Locale") gets their
  translation: Baken's catalogue comes first and would otherwise change their screens too.
* Real admin pages, for an editor whose admin language is Dutch (then French), show Baken's texts
  in that language and not in English.
"""

import ast
import gettext as gettext_module
import html
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import django
import polib
import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import trim_whitespace
from wagtail.users.models import UserProfile
from wagtail_localize.models import Translation
from wagtail_localize.operations import translate_object

import cms
from cms import catalogues
from cms.admin_views import submit_for_review
from cms.pages.models import FAQPage
from tests.content import publish
from tests.test_helpline_admin import helpline_post_data
from tests.users import logged_in, make_user

pytestmark = pytest.mark.django_db

CMS_DIR = Path(cms.__file__).resolve().parent
NBSP = "\u00a0"  # French puts a no-break space before : ; ? ! and inside « »


# --- the texts cms/ marks for translation ---------------------------------------------------------


@dataclass(frozen=True)
class Message:
    context: str | None
    msgid: str
    plural: str | None = None


# Which positional arguments of each gettext function are the context, the msgid and the plural.
GETTEXT_FUNCTIONS = {
    "_": ("msgid",),
    "gettext": ("msgid",),
    "gettext_lazy": ("msgid",),
    "gettext_noop": ("msgid",),
    "ngettext": ("msgid", "plural"),
    "ngettext_lazy": ("msgid", "plural"),
    "pgettext": ("context", "msgid"),
    "pgettext_lazy": ("context", "msgid"),
    "npgettext": ("context", "msgid", "plural"),
    "npgettext_lazy": ("context", "msgid", "plural"),
}


def python_messages() -> dict[Message, str]:
    """Every gettext call with literal arguments in cms/**/*.py (migrations aside), with where it is."""
    found = {}
    for path in sorted(CMS_DIR.rglob("*.py")):
        if "migrations" in path.relative_to(CMS_DIR).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            function = node.func
            name = getattr(function, "id", None) or getattr(function, "attr", None)
            roles = GETTEXT_FUNCTIONS.get(name)
            if roles is None or len(node.args) < len(roles):
                continue
            arguments = node.args[: len(roles)]
            if not all(isinstance(arg, ast.Constant) and isinstance(arg.value, str) for arg in arguments):
                continue  # e.g. gettext(NOTHING_CHANGED): its gettext_noop is found instead
            values = dict(zip(roles, (arg.value for arg in arguments), strict=True))
            message = Message(values.get("context"), values["msgid"], values.get("plural"))
            found.setdefault(message, f"{path.relative_to(CMS_DIR)}:{node.lineno}")
    return found


_TRANS = re.compile(
    r"""\{%\s*(?:trans|translate)\s+(?P<quote>["'])(?P<msgid>.*?)(?P=quote)(?P<options>.*?)%\}""", re.S
)
_BLOCKTRANS = re.compile(
    r"\{%\s*(?:blocktrans|blocktranslate)\b(?P<options>.*?)%\}(?P<body>.*?)"
    r"\{%\s*end(?:blocktrans|blocktranslate)\s*%\}",
    re.S,
)
_PLURAL = re.compile(r"\{%\s*plural\s*%\}")
_CONTEXT = re.compile(r"""\bcontext\s+(?P<quote>["'])(?P<context>.*?)(?P=quote)""")
_VARIABLE = re.compile(r"\{\{\s*(?P<name>[\w.]+)\s*\}\}")


def _blocktrans_msgid(text: str, trimmed: bool) -> str:
    """As Django looks it up: "%" doubled, {{ name }} as %(name)s, whitespace trimmed when asked."""
    text = _VARIABLE.sub(lambda match: f"%({match['name']})s", text.replace("%", "%%"))
    return trim_whitespace(text) if trimmed else text


def template_messages() -> dict[Message, str]:
    """Every {% trans %} and {% blocktrans %} in cms/templates."""
    found = {}
    for path in sorted((CMS_DIR / "templates").rglob("*.html")):
        source = path.read_text(encoding="utf-8")
        where = str(path.relative_to(CMS_DIR))
        for match in _TRANS.finditer(source):
            context = _CONTEXT.search(match["options"])
            found.setdefault(Message(context and context["context"], match["msgid"]), where)
        for match in _BLOCKTRANS.finditer(source):
            options = match["options"]
            trimmed = re.search(r"\btrimmed\b", options) is not None
            context = _CONTEXT.search(options)
            singular, *plural = _PLURAL.split(match["body"])
            message = Message(
                context and context["context"],
                _blocktrans_msgid(singular, trimmed),
                _blocktrans_msgid(plural[0], trimmed) if plural else None,
            )
            found.setdefault(message, where)
    return found


@pytest.fixture(scope="module")
def used_messages() -> dict[Message, str]:
    return {**python_messages(), **template_messages()}


def catalogue_messages(language: str) -> dict[Message, polib.POEntry]:
    return {
        Message(entry.msgctxt, entry.msgid, entry.msgid_plural or None): entry
        for entry in catalogues.load(language)
        if not entry.obsolete
    }


def test_the_extraction_finds_each_kind_of_text():
    in_python, in_templates = python_messages(), template_messages()
    assert in_python[Message(None, "Mark verified today")].startswith("wagtail_hooks.py:")  # gettext_lazy
    assert Message("publication date", "Published") in in_python  # pgettext_lazy
    assert Message(None, "%(count)s question", "%(count)s questions") in in_python  # ngettext
    assert Message(None, "Nothing was changed.") in in_python  # gettext_noop
    assert in_templates[Message(None, "Mark verified today")] == "templates/cms/reviews/panel.html"  # trans
    assert (
        Message(
            None,
            "%(total)s item past its review-by date or never checked.",
            "%(total)s items past their review-by date or never checked.",
        )
        in in_templates
    )  # a trimmed blocktrans with a plural
    assert (
        Message(
            None,
            "No campaign site is configured for previews (<code>BAKEN_PREVIEW_CLIENT_URLS</code>). "
            "The campaign site would read this draft from "
            '<a href="/api/v1/preview/?token=%(token)s">/api/v1/preview/?token=…'
            "</a> — valid for one hour.",
        )
        in in_templates
    )  # a blocktrans with a variable


@pytest.mark.parametrize("language", catalogues.LANGUAGES)
def test_every_text_baken_uses_is_in_the_catalogue(used_messages, language):
    catalogue = catalogue_messages(language)
    missing = [f"{where}: {message}" for message, where in used_messages.items() if message not in catalogue]
    assert not missing, (
        f"not in cms/locale/{language}/LC_MESSAGES/django.po (run `make messages`, translate, "
        f"`make translations`):\n" + "\n".join(missing)
    )


@pytest.mark.parametrize("language", catalogues.LANGUAGES)
def test_the_catalogue_holds_only_texts_baken_uses(used_messages, language):
    stale = [str(message) for message in catalogue_messages(language) if message not in used_messages]
    assert not stale, "no longer used (run `make messages`):\n" + "\n".join(stale)


@pytest.mark.parametrize("language", catalogues.LANGUAGES)
def test_the_catalogue_is_complete_with_matching_placeholders(language):
    catalogue = catalogues.load(language)
    assert catalogues.problems(catalogue) == []
    assert catalogue.metadata["Language"] == language
    assert len(catalogue.translated_entries()) == len(catalogue)


@pytest.mark.parametrize("language", catalogues.LANGUAGES)
def test_the_committed_mo_file_is_what_the_po_file_compiles_to(language):
    assert catalogues.mo_path(language).read_bytes() == catalogues.compiled(catalogues.load(language)), (
        f"{catalogues.mo_path(language)} is out of date: run `make translations` "
        "(or manage.py compile_translations) and commit it"
    )


def other_catalogues(language: str) -> list[tuple[str, dict]]:
    """The catalogues Django merges below Baken's, highest priority first: the other apps, then Django."""
    paths = [
        (config.name, Path(config.path) / "locale" / language / "LC_MESSAGES" / "django.mo")
        for config in apps.get_app_configs()
        if config.name != "cms"
    ]
    paths.append(
        ("django", Path(django.__file__).parent / "conf" / "locale" / language / "LC_MESSAGES" / "django.mo")
    )
    found = []
    for name, path in paths:
        if path.exists():
            with path.open("rb") as file:
                found.append((name, gettext_module.GNUTranslations(file)._catalog))
    return found


@pytest.mark.parametrize("language", catalogues.LANGUAGES)
def test_texts_wagtail_or_django_also_translate_keep_their_translation(language):
    others = other_catalogues(language)
    differences = []
    for message, entry in catalogue_messages(language).items():
        key = message.msgid if message.context is None else f"{message.context}\x04{message.msgid}"
        for name, catalogue in others:
            if message.plural:
                if (key, 0) in catalogue:
                    ours = [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)]
                    theirs = [catalogue.get((key, index)) for index in range(len(ours))]
                    if ours != theirs:
                        differences.append(f"{message.msgid!r}: {ours} here, {theirs} in {name}")
                    break
            elif catalogue.get(key):
                if catalogue[key] != entry.msgstr:
                    differences.append(
                        f"{message.msgid!r}: {entry.msgstr!r} here, {catalogue[key]!r} in {name}"
                    )
                break
    assert not differences, "use their translation, or pgettext with a context:\n" + "\n".join(differences)


def test_fields_and_blocks_named_after_themselves_keep_their_english_labels():
    """cms/labels.py translates them without a migration; in English they read as before."""
    with translation.override("en"):
        for model in apps.get_app_config("cms").get_models():
            for field in model._meta.get_fields():
                if getattr(field, "_verbose_name", "") is None:
                    assert str(field.verbose_name) == field.name.replace("_", " "), (model, field.name)

        def walk(block):
            for name, child in getattr(block, "child_blocks", {}).items():
                if "label" not in child._constructor_args[1] and not type(child)._meta_class.label:
                    assert str(child.label) == capfirst(name.replace("_", " ")), name
                walk(child)
            if hasattr(block, "child_block"):
                walk(block.child_block)

        walk(FAQPage._meta.get_field("body").stream_block)


# --- compile_translations ---------------------------------------------------------------------------


@pytest.fixture
def locale_copy(tmp_path, monkeypatch):
    """The catalogues copied to a temporary cms/locale, where compile_translations then works."""
    target = tmp_path / "cms" / "locale"
    for language in catalogues.LANGUAGES:
        (target / language / "LC_MESSAGES").mkdir(parents=True)
        shutil.copy(catalogues.po_path(language), target / language / "LC_MESSAGES" / "django.po")
    monkeypatch.setattr(catalogues, "LOCALE_DIR", target)
    return target


def test_compile_translations_writes_the_mo_files_django_reads(locale_copy):
    call_command("compile_translations", verbosity=0)
    for language in catalogues.LANGUAGES:
        written = (locale_copy / language / "LC_MESSAGES" / "django.mo").read_bytes()
        assert written == (CMS_DIR / "locale" / language / "LC_MESSAGES" / "django.mo").read_bytes()
    call_command("compile_translations", "--check")


def test_compile_translations_check_fails_on_an_out_of_date_mo_file(locale_copy):
    call_command("compile_translations", verbosity=0)
    po = locale_copy / "nl" / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(po))
    catalogue.find("Mark verified today").msgstr = "Vandaag gecontroleerd"
    catalogue.save(str(po))
    with pytest.raises(CommandError, match=r"cms/locale/nl/LC_MESSAGES/django\.mo"):
        call_command("compile_translations", "--check")


def test_compile_translations_refuses_fuzzy_untranslated_and_mismatched_entries(locale_copy):
    po = locale_copy / "fr" / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(po))
    catalogue.find("Mark verified today").flags.append("fuzzy")
    catalogue.find("See all and download").msgstr = ""
    catalogue.find("Marked verified on %(date)s").msgstr = "Marquée comme vérifiée le %(jour)s"
    catalogue.find("%(days)d day").msgstr_plural[1] = "des jours"
    catalogue.find(
        "Days between reviews; the review-by date is the last check plus this. Default {default}."
    ).msgstr = "Jours entre deux relectures. Par défaut {défaut}."
    catalogue.save(str(po))

    with translation.override("en"), pytest.raises(CommandError) as refused:
        call_command("compile_translations")

    message = str(refused.value)
    assert message.startswith("The translations were not compiled; fix these entries first:")
    assert "'Mark verified today' is marked fuzzy" in message
    assert "'See all and download' is not translated" in message
    assert (
        "'Marked verified on %(date)s': the translation has placeholders ['%(jour)s'], the msgid ['%(date)s']"
        in message
    )
    assert (
        "'%(days)d day': the last plural form has placeholders [], the msgid_plural ['%(days)d']" in message
    )
    assert "the translation has placeholders ['{défaut}'], the msgid ['{default}']" in message
    assert not any(
        (locale_copy / language / "LC_MESSAGES" / "django.mo").exists() for language in catalogues.LANGUAGES
    )


# --- the admin in the editor's language -------------------------------------------------------------


def page_text(response) -> str:
    """What the page says: its text without tags, scripts or attributes, whitespace collapsed."""
    content = response.content.decode()
    content = re.sub(r"(?s)<(script|style|svg|template)\b.*?</\1>", " ", content)
    content = re.sub(r"<[^>]+>", " ", content)
    return re.sub(r"[ \t\n\r\f\v]+", " ", html.unescape(content))  # no-break spaces stay


@pytest.fixture
def admin_content(translated, content, locales):
    """Overdue help-lines, a translation behind its source, an incomplete translation to submit."""
    publish(translated["faq"])  # the Dutch sources change after their translations were published
    publish(translated["helpline"])
    content.helpline("nooit-gecontroleerd", "Nooit gecontroleerd", last_verified=None, revision=False)
    content.citation("Jaarverslag", revision=False)
    translate_object(translated["helpline"], [locales["de"]])
    # The listing's statuses: a live one with a pending draft, one in review, one never published.
    pending = content.helpline("status-met-concept", "Status met concept")
    pending.name = "Status met concept (nieuw)"
    pending.save_revision()
    submit_for_review(
        content.helpline("status-in-controle", "Status in controle", live=False, revision=False), None
    )
    content.helpline("status-nooit-gepubliceerd", "Status nooit gepubliceerd", live=False, revision=False)
    return {
        **translated,
        "incomplete": Translation.objects.get(target_locale=locales["de"], enabled=True),
    }


def editor_client(client, language):
    """``client``, signed in as an administrator whose admin language is ``language``."""
    user = make_user(f"eva-{language}", superuser=True, email="eva@example.org")
    return logged_in(client, user, language=language)


@pytest.fixture
def dutch_editor(client):
    return editor_client(client, "nl")


@pytest.fixture
def french_editor(client):
    return editor_client(client, "fr")


def menu(client) -> str:
    """The labels of the admin's menu (the sidebar is drawn by JavaScript from JSON props)."""
    return " ".join(
        re.findall(r'"label": "([^"]*)"', client.get("/admin/").content.decode().replace("\\u0026", "&"))
    )


def assert_says(text: str, present: list[str], absent: list[str]) -> None:
    assert [phrase for phrase in present if phrase not in text] == []
    assert [phrase for phrase in absent if phrase in text] == []


def edit_url(helpline) -> str:
    return reverse("wagtailsnippets_cms_helpline:edit", args=[helpline.pk])


def test_a_dutch_editor_reads_baken_in_dutch(dutch_editor, admin_content):
    client = dutch_editor

    dashboard = page_text(client.get("/admin/"))
    assert_says(
        dashboard,
        [
            "Achterstallige controles",
            " items voorbij de uiterste controledatum of nooit gecontroleerd.",
            "Meest recent vervallen eerst: de bovenste rij heeft de laatste uiterste controledatum;",
            "Alles bekijken en downloaden",
            "Controle uiterlijk Achterstand",
            "nu (nooit gecontroleerd)",
            "Vandaag als gecontroleerd markeren",
        ],
        [
            "Overdue for review",
            "past their review-by date",
            "Most recently due first",
            "See all and download",
            "Overdue by",
            "never checked",
            "Mark verified today",
            "Source citation",
        ],
    )
    assert_says(
        menu(client), ["Hulp & bronnen", "Hulplijnen", "Bronvermeldingen"], ["Help & sources", "Help-lines"]
    )

    listing = page_text(client.get("/admin/snippets/cms/helpline/"))
    assert_says(
        listing,
        [
            "Hulplijnen",
            "Taalregio",  # Wagtail's word for "Locale", kept
            "Alle talen",
            "Contacttype Alle Telefoon Sms Chat E-mail Online meldformulier",
            "Laatst gecontroleerd op of voor",
            "Naam Organisatie Taal Contactpunten 24/7 Laatst gecontroleerd Controle uiterlijk Status",
            " live ",
            "Als gecontroleerd markeren Ter controle indienen",
        ],
        [
            "Help-lines",
            "All locales",
            "Contact type",
            "Web reporting form",
            "Last verified on or before",
            "Contact points",
            "Review by",
            "Mark verified",
            "Submit for review",
        ],
    )
    statuses = page_text(client.get("/admin/snippets/cms/helpline/", {"q": "Status"}))
    assert_says(
        statuses, ["live + concept", "ter controle", " concept "], ["live + draft", "in review", " draft "]
    )

    french_form = page_text(client.get(edit_url(admin_content["helpline_fr"])))
    assert_says(
        french_form,
        [
            "Naam *",
            "Organisatie *",
            "Omschrijving",
            "Gesynchroniseerd vanuit de versie in het Nederlands: pas het daar aan .",
            "Contacttypes en -waarden worden gesynchroniseerd vanuit de versie in het Nederlands: "
            "pas ze daar aan .",
            "Openingsuren worden gesynchroniseerd vanuit de versie in het Nederlands",
            "Hoe het getoond wordt, bv. 'Bel 116000, dag en nacht'.",
            "Kosten en bereikbaarheid Gratis",
            "Anoniem contact mogelijk",
            "24/7 bereikbaar",
            "Wekelijkse openingsuren",
            "Talen waarin geholpen wordt",
            "Werkgebied",
            "Controleren om de (dagen)",
        ],
        [
            "Synchronised from the",
            "are synchronised from the",
            "change it there",
            "How it is shown",
            "Cost and availability",
            "Free of charge",
            "Anonymous contact possible",
            "Weekly opening hours",
            "Languages served",
            "Area served",
            "Review every (days)",
        ],
    )
    dutch_form = page_text(client.get(edit_url(admin_content["helpline"])))
    assert_says(
        dutch_form,
        [
            "Identificeert de hulplijn in de API; hetzelfde in elke taal. "
            "Leeg gelaten, wordt het uit de naam gemaakt.",
            "Wanneer iemand voor het laatst controleerde of deze gegevens klopten.",
            "Dagen tussen twee controles; de uiterste controledatum is de laatste controle plus dit aantal. "
            "Standaard 180.",
            "De talen waarin mensen geholpen kunnen worden.",
        ],
        [
            "Identifies the help-line",
            "When someone last checked",
            "Days between reviews",
            "The languages people",
        ],
    )

    report = page_text(client.get("/admin/reports/overdue-for-review/"))
    assert_says(
        report,
        [
            "Achterstallige controles",
            "Live hulplijnen en bronvermeldingen waarvan de uiterste controledatum voorbij is",
            "Titel Type Taal Laatst gecontroleerd Interval (dagen) Controle uiterlijk Achterstand",
            "Hulplijn nl nooit 180 nu (nooit gecontroleerd) nooit gecontroleerd",
            "Bronvermelding nl nooit 365",
        ],
        ["Live help-lines and source citations", "Interval (days)", "Last verified / reviewed", "Help-line"],
    )
    export = b"".join(client.get("/admin/reports/overdue-for-review/", {"export": "csv"}).streaming_content)
    assert export.decode("utf-8-sig").splitlines()[0] == (
        "Titel,Type,Taal,Laatst gecontroleerd,Controle-interval (dagen),Controle uiterlijk,"
        "Dagen achterstand,Status"
    )

    behind = page_text(client.get("/admin/reports/translations-behind/"))
    assert_says(
        behind,
        [
            "Vertalingen die achterlopen op hun bron",
            "Titel Type Taal Bron gepubliceerd Vertaling gepubliceerd Status",
            "FAQ-pagina fr",
            "gepubliceerd voor de bron wijzigde",
        ],
        [
            "Translations behind their source",
            "Source published",
            "published before its source changed",
            "FAQ page",
        ],
    )

    confirm = page_text(
        client.get(reverse("baken_submit_translation_for_review", args=[admin_content["incomplete"].pk]))
    )
    assert_says(
        confirm,
        [
            "Vertaling ter controle indienen",
            "“Hulplijn 116000” kan niet gepubliceerd worden in Deutsch: "
            "4 van de 4 teksten zijn nog niet vertaald. Vertaal elke tekst in de vertaaleditor "
            "en publiceer het daarna of dien het opnieuw ter controle in.",
            "De vertaaleditor openen",
        ],
        ["Submit translation for review", "cannot be published", "Open the translation editor"],
    )

    refused = client.post(
        reverse("wagtailsnippets_cms_helpline:add"), helpline_post_data(contact_value="123")
    )
    assert_says(
        page_text(refused),
        [
            "“123” is geen geldig telefoonnummer voor regio BE. "
            "Gebruik de internationale vorm (+32 2 475 44 11) "
            "of een nationaal kort nummer (116000)."
        ],
        ["is not a valid phone number", "Use the international form"],
    )
    citation = client.post(
        reverse("wagtailsnippets_cms_sourcecitation:add"),
        {
            "title": "Zonder auteur",
            "citation_type": "report",
            "language": "nl",
            "review_interval_days": "365",
        },
    )
    assert_says(page_text(citation), ["Geef de auteurs, de organisatie of allebei."], ["Give the authors"])


def test_a_french_editor_reads_baken_in_french(french_editor, admin_content):
    client = french_editor

    assert_says(
        page_text(client.get("/admin/")),
        [
            "Relectures en retard",
            " éléments ont dépassé leur date limite de relecture ou n'ont jamais été vérifiés.",
            "Tout voir et télécharger",
            "maintenant (jamais vérifiée)",
            "Marquer comme vérifiée aujourd'hui",
        ],
        ["Overdue for review", "See all and download", "never checked", "Mark verified today"],
    )
    assert_says(menu(client), ["Aide & sources", "Lignes d'aide", "Citations de source"], ["Help & sources"])
    assert_says(
        page_text(client.get("/admin/snippets/cms/helpline/")),
        [
            "Lignes d'aide",
            "Région",
            "Toutes les langues",
            "Type de contact Tous Téléphone SMS Chat E-mail Formulaire de signalement en ligne",
            "Points de contact",
            "Relecture avant le",
            " publiée ",
            "Marquer comme vérifiée Soumettre à la relecture",
        ],
        ["Help-lines", "All locales", "Contact type", "Contact points", "Review by", "Submit for review"],
    )
    assert_says(
        page_text(client.get(edit_url(admin_content["helpline_fr"]))),
        [
            f"Synchronisé depuis la version d'origine (Néerlandais){NBSP}: modifiez-le là-bas .",
            "Les types et valeurs de contact sont synchronisés depuis la version d'origine "
            f"(Néerlandais){NBSP}:",
            "Coût et disponibilité",
            "Heures d'ouverture hebdomadaires",
            "Langues parlées",
        ],
        ["Synchronised from the", "Cost and availability", "Languages served"],
    )
    assert_says(
        page_text(client.get("/admin/reports/overdue-for-review/")),
        [
            "Relectures en retard",
            "Dernière vérification / relecture Intervalle (jours) Relecture avant le Retard",
        ],
        ["Overdue for review", "Interval (days)"],
    )
    assert_says(
        page_text(client.get("/admin/reports/translations-behind/")),
        [
            "Traductions en retard sur leur source",
            "Source publiée le",
            "publiée avant la modification de sa source",
        ],
        ["Translations behind their source", "Source published", "published before its source changed"],
    )
    assert_says(
        page_text(
            client.get(reverse("baken_submit_translation_for_review", args=[admin_content["incomplete"].pk]))
        ),
        [
            f"«{NBSP}Hulplijn 116000{NBSP}» ne peut pas être publié en Deutsch{NBSP}: "
            "4 des 4 textes ne sont pas encore traduits.",
            "Ouvrir l'éditeur de traduction",
        ],
        ["cannot be published", "Open the translation editor"],
    )
    refused = client.post(
        reverse("wagtailsnippets_cms_helpline:add"), helpline_post_data(contact_value="123")
    )
    assert_says(
        page_text(refused),
        [f"«{NBSP}123{NBSP}» n'est pas un numéro de téléphone valide pour la région BE."],
        ["is not a valid phone number"],
    )


def test_without_a_preference_the_admin_is_in_the_default_language_dutch(
    admin_client, superuser, admin_content
):
    """LANGUAGE_CODE is the default content locale, nl: Wagtail's admin language when none is chosen."""
    assert UserProfile.get_for_user(superuser).preferred_language == ""
    assert "Achterstallige controles" in page_text(admin_client.get("/admin/"))


def test_the_account_page_is_where_the_admin_language_is_chosen(admin_client, superuser):
    """As the README says: Account → Profile → Locale → Preferred language ("Taalregio", "Voorkeurstaal")."""
    text = page_text(admin_client.get("/admin/account/"))
    assert "Profiel" in text
    assert (
        "Taalregio Voorkeurstaal Gebruik server taal: Nederlands Deutsch English français Nederlands" in text
    )
    response = admin_client.post(
        "/admin/account/",
        {
            "name_email-first_name": "Eva",
            "name_email-last_name": "Peeters",
            "name_email-email": "eva@example.org",
            "locale-preferred_language": "fr",
            "locale-current_time_zone": "",
            "theme-theme": "system",
            "theme-contrast": "system",
            "theme-density": "default",
        },
    )
    assert response.status_code == 302
    assert UserProfile.get_for_user(superuser).preferred_language == "fr"
    assert "Aide & sources" in menu(admin_client)


def test_the_page_templates_speak_the_pages_language(admin_content):
    french = render_to_string("cms/page.html", {"page": admin_content["faq_fr"]})
    dutch = render_to_string("cms/page.html", {"page": admin_content["faq"]})
    assert (
        'Baken est headless\u00a0: les canaux lisent ce contenu via <a href="/api/v1/">l\'API</a>.' in french
    )
    assert 'Baken is headless: kanalen lezen deze inhoud via <a href="/api/v1/">de API</a>.' in dutch


@pytest.mark.parametrize(
    ("language", "headers"),
    [
        ("en", ["Name", "Organisation", "Language", "Last verified", "Status", "Updated"]),
        ("nl", ["Naam", "Organisatie", "Taal", "Laatst gecontroleerd", "Status", "Gewijzigd"]),
        ("fr", ["Nom", "Organisation", "Langue", "Dernière vérification", "Statut", "Mis à jour"]),
    ],
)
def test_listing_columns_are_in_each_editors_own_language(client, content, language, headers):
    """Column labels made when the admin loads (at import, in the server's language) follow each
    editor's language per request, Wagtail's "Updated" column included."""
    content.helpline(revision=False)
    body = editor_client(client, language).get("/admin/snippets/cms/helpline/")
    table = body.content.decode().split('<table class="listing', 1)[1].split("</thead>", 1)[0]
    shown = [
        re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in re.findall(r"<th[^>]*>(.*?)</th>", table, re.S)
    ]
    assert [header for header in headers if header not in shown] == []
