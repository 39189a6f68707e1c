"""The public API's shapes, each declared once (see api.contract).

Every response field is declared here and nowhere else: its name, type, help text, and where it
comes from in the value the presenters build (``source``, an attribute path into the frozen
values of ``api.values``: ``obj`` is the model row, ``served`` how it is served). The same
classes give the OpenAPI document (drf-spectacular), the responses and previews (compiled by
``api.contract.representation``) and the published JSON Schemas.
"""

from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

JSON_LD_SCHEMA = {
    "type": "object",
    "description": 'schema.org JSON-LD, ready to embed in a <script type="application/ld+json">: '
    "for an FAQ page a FAQPage (mainEntity Questions with their acceptedAnswer; url and @id when "
    "the campaign gives the page's public address); for a help-line the Organization behind it with "
    "one ContactPoint per contact point (telephone, email or url; contactType; contactOption TollFree "
    "on free numbers; hoursAvailable as OpeningHoursSpecification with the same HH:MM times as "
    "`availability`).",
    "required": ["@context", "@type", "name"],
    "properties": {
        "@context": {"type": "string", "const": "https://schema.org"},
        "@type": {"type": "string", "enum": ["FAQPage", "Organization"]},
        "@id": {"type": "string", "format": "uri"},
        "url": {"type": "string", "format": "uri"},
        "name": {"type": "string"},
        "inLanguage": {"type": "string"},
        "mainEntity": {"type": "array", "items": {"type": "object"}},
        "contactPoint": {"type": "array", "items": {"type": "object"}},
    },
    "additionalProperties": True,
}


@extend_schema_field(JSON_LD_SCHEMA)
class JSONLDField(serializers.JSONField):
    """schema.org JSON-LD, as built by api.structured_data."""


class RichTextSerializer(serializers.Serializer):
    """``{"html": "<p>Bel <b>116000</b>.</p>", "text": "Bel 116000."}``"""

    html = serializers.CharField(help_text="Sanitised HTML: p, b, i, a, ol, ul, li, br only.")
    text = serializers.CharField(help_text="The same content as plain text.")


class TranslatedObjectSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="obj.pk")
    translation_key = serializers.UUIDField(source="obj.translation_key")
    locale = serializers.CharField(source="served.locale", help_text="Language actually served.")
    is_fallback = serializers.BooleanField(
        source="served.is_fallback",
        help_text="True when the object is served in a fallback language, not the one asked for.",
    )
    translation_outdated = serializers.BooleanField(
        source="served.translation_outdated",
        help_text="True when this translation's source (the default-language version) was published "
        "after it: the translation may lag behind.",
    )


class ContactPointSerializer(serializers.Serializer):
    """``{"type": "phone", "value": "116000", "label": "Bel gratis 116000", "href": "tel:116000"}``"""

    type = serializers.ChoiceField(choices=["phone", "sms", "chat", "email", "web_form"])
    value = serializers.CharField(help_text="Normalised: E.164 or national short number, e-mail, or URL.")
    label = serializers.CharField()  # type: ignore[assignment]  # a declared field, not Field.label
    href = serializers.CharField(help_text="tel:, sms:, mailto: or https: link to act on it.")


@extend_schema_field(
    {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "examples": ["09:00", "23:59"]}
)
class LocalTimeField(serializers.TimeField):
    """A wall-clock time as ``HH:MM``: not RFC 3339's ``full-time`` (``format: time`` needs seconds
    and a UTC offset, and these times are local to the help-line's time zone)."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class OpeningHoursSerializer(serializers.Serializer):
    """``{"day": "monday", "opens": "09:00", "closes": "17:00"}``"""

    day = serializers.ChoiceField(
        source="day_name",
        choices=["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"],
    )
    opens = LocalTimeField(help_text="Local time in the help-line's time zone.")
    closes = LocalTimeField(help_text='Local time; "23:59" means until midnight.')


class AvailabilitySerializer(serializers.Serializer):
    always_open = serializers.BooleanField(help_text="Available 24 hours a day, 7 days a week.")
    time_zone = serializers.CharField(help_text="IANA time zone of the opening hours.")
    opening_hours = OpeningHoursSerializer(many=True)


class HelpLineSerializer(TranslatedObjectSerializer):
    """A help-line, e.g.::

    {"id": 1, "translation_key": "…", "locale": "nl", "is_fallback": false,
     "translation_outdated": false,
     "slug": "child-focus-116000", "name": "Hulplijn 116000", "organisation": "Child Focus",
     "description": "…",
     "contact_points": [{"type": "phone", "value": "116000", "label": "Bel gratis 116000, dag en nacht",
                         "href": "tel:116000"}],
     "is_free": true, "anonymous_possible": true,
     "availability": {"always_open": true, "time_zone": "Europe/Brussels", "opening_hours": []},
     "open_now": true, "languages": ["nl", "fr"], "area_served": "BE", "last_verified": null,
     "last_published_at": "2026-11-18T09:00:00Z", "structured_data": {"@type": "ContactPoint", …}}
    """

    slug = serializers.SlugField(source="obj.slug")
    name = serializers.CharField(source="obj.name")
    organisation = serializers.CharField(source="obj.organisation")
    description = serializers.CharField(source="obj.description")
    contact_points = ContactPointSerializer(many=True)
    is_free = serializers.BooleanField(source="obj.is_free")
    anonymous_possible = serializers.BooleanField(source="obj.anonymous_possible")
    availability = AvailabilitySerializer()
    open_now = serializers.BooleanField()
    languages = serializers.ListField(child=serializers.CharField(), source="obj.languages")
    area_served = serializers.CharField(source="obj.area_served")
    last_verified = serializers.DateField(source="obj.last_verified", allow_null=True)
    last_published_at = serializers.DateTimeField(source="obj.last_published_at", allow_null=True)
    structured_data = JSONLDField()


CITATION_TYPES = ["report", "article", "dataset", "legislation", "investigative_journalism", "web_page"]


class CitationSerializer(TranslatedObjectSerializer):
    """A source citation, e.g.::

    {"id": 4, "translation_key": "…", "locale": "en", "is_fallback": false,
     "translation_outdated": false,
     "title": "Directive 2011/93/EU on combating the sexual abuse …", "authors": [],
     "organisation": "European Parliament and Council of the European Union",
     "publisher": "Official Journal of the European Union, L 335, 17.12.2011, p. 1–14",
     "url": "https://eur-lex.europa.eu/eli/dir/2011/93/oj", "publication_date": "2011-12-13",
     "accessed_date": null, "type": "legislation", "language": "en",
     "notes": {"html": "", "text": ""}, "last_published_at": "…"}
    """

    title = serializers.CharField(source="obj.title")
    authors = serializers.ListField(child=serializers.CharField(), source="obj.author_names")
    organisation = serializers.CharField(source="obj.organisation")
    publisher = serializers.CharField(source="obj.publisher")
    url = serializers.CharField(source="obj.url")
    publication_date = serializers.DateField(source="obj.publication_date", allow_null=True)
    accessed_date = serializers.DateField(source="obj.accessed_date", allow_null=True)
    type = serializers.ChoiceField(
        source="obj.citation_type",
        choices=CITATION_TYPES,
    )
    language = serializers.CharField(source="obj.language")
    notes = RichTextSerializer()
    last_published_at = serializers.DateTimeField(source="obj.last_published_at", allow_null=True)


class QuestionSerializer(serializers.Serializer):
    """``{"anchor": "waarom-nu", "question": "Waarom nu?", "answer": {"html": …, "text": …},
    "helplines": [HelpLine…], "citations": [Citation…]}``"""

    anchor = serializers.CharField()
    question = serializers.CharField()
    answer = RichTextSerializer()
    helplines = HelpLineSerializer(many=True)
    citations = CitationSerializer(many=True)


class SectionSerializer(serializers.Serializer):
    heading = serializers.CharField()
    questions = QuestionSerializer(many=True)


class TranslationLinkSerializer(serializers.Serializer):
    """``{"locale": "fr", "slug": "questions-frequentes"}``"""

    locale = serializers.CharField()
    slug = serializers.CharField()


class FAQSummarySerializer(TranslatedObjectSerializer):
    """An FAQ page in a list::

    {"id": 9, "translation_key": "…", "locale": "nl", "is_fallback": false,
     "translation_outdated": false,
     "title": "Veelgestelde vragen", "slug": "veelgestelde-vragen", "campaign": "schat-je-schatje",
     "question_count": 6, "last_published_at": "2026-11-18T09:00:00Z"}
    """

    title = serializers.CharField(source="obj.title")
    slug = serializers.SlugField(source="obj.slug")
    campaign = serializers.CharField(allow_null=True, help_text="Slug of the campaign the page belongs to.")
    question_count = serializers.IntegerField()
    last_published_at = serializers.DateTimeField(source="obj.last_published_at", allow_null=True)


class FAQDetailSerializer(FAQSummarySerializer):
    """An FAQ page with its sections, questions and answers; help-lines and citations inline::

    {…summary fields…, "intro": {"html": "", "text": ""},
     "sections": [{"heading": "FAQ", "questions": [Question…]}],
     "translations": [{"locale": "fr", "slug": "questions-frequentes"}],
     "structured_data": {"@context": "https://schema.org", "@type": "FAQPage", "inLanguage": "nl", …}}
    """

    intro = RichTextSerializer()
    sections = SectionSerializer(many=True)
    translations = TranslationLinkSerializer(many=True)
    structured_data = JSONLDField()


class KeyDateSerializer(serializers.Serializer):
    """``{"date": "2015-11-18", "label": "Europese dag …", "recurs_annually": true,
    "next_occurrence": "2027-11-18"}``"""

    date = serializers.DateField()
    label = serializers.CharField()  # type: ignore[assignment]  # a declared field, not Field.label
    recurs_annually = serializers.BooleanField()
    next_occurrence = serializers.DateField(allow_null=True)


class CampaignSerializer(TranslatedObjectSerializer):
    """A campaign with its FAQ pages (summaries) and help-lines::

    {"id": 6, "translation_key": "…", "locale": "nl", "is_fallback": false,
     "translation_outdated": false,
     "name": "Schat je schatje", "slug": "schat-je-schatje", "summary": "…",
     "key_dates": [KeyDate…], "faqs": [FAQSummary…], "helplines": [HelpLine…],
     "translations": [{"locale": "fr", "slug": "schat-je-schatje"}], "last_published_at": "…"}
    """

    name = serializers.CharField(source="obj.title")
    slug = serializers.SlugField(source="obj.slug")
    summary = serializers.CharField(source="obj.summary")
    key_dates = KeyDateSerializer(many=True)
    faqs = FAQSummarySerializer(many=True)
    helplines = HelpLineSerializer(many=True)
    translations = TranslationLinkSerializer(many=True)
    last_published_at = serializers.DateTimeField(source="obj.last_published_at", allow_null=True)


class LocaleSerializer(serializers.Serializer):
    """``{"code": "de", "name": "Deutsch", "is_default": false, "fallbacks": ["nl"]}``"""

    code = serializers.CharField()
    name = serializers.CharField()
    is_default = serializers.BooleanField()
    fallbacks = serializers.ListField(child=serializers.CharField())


class LocalesSerializer(serializers.Serializer):
    default = serializers.CharField()
    locales = LocaleSerializer(many=True)


class FAQReferenceSerializer(serializers.Serializer):
    """The FAQ page a search result is on: ``{"id": 9, "slug": "veelgestelde-vragen", "title": "…",
    "locale": "nl", "is_fallback": false, "translation_outdated": false}``"""

    id = serializers.IntegerField()
    slug = serializers.SlugField()
    title = serializers.CharField()
    locale = serializers.CharField(help_text="Language actually served.")
    is_fallback = serializers.BooleanField()
    translation_outdated = serializers.BooleanField()


class SearchResultSerializer(serializers.Serializer):
    """``{"faq": FAQReference, "anchor": "waarom-nu", "question": "Waarom nu?",
    "excerpt": "…18 november is de Europese dag…",
    "excerpt_html": "…18 november is de <mark>Europese</mark> dag…", "score": 3.0}``"""

    faq = FAQReferenceSerializer()
    anchor = serializers.CharField()
    question = serializers.CharField()
    excerpt = serializers.CharField(help_text="Plain text around the first match in the answer.")
    excerpt_html = serializers.CharField(
        help_text="The same excerpt as HTML: escaped text, each matched word in <mark>; no other markup."
    )
    score = serializers.FloatField(
        help_text="2 for each query word found in the question, 1 for each found in the answer."
    )


class IndexSerializer(serializers.Serializer):
    endpoints = serializers.DictField(child=serializers.CharField())


# A draft is in the shape of its public detail, but for its id: an object not saved yet has none.
DRAFT_ID_HELP = "The object's id; null for a draft that has not been saved yet."


class DraftFAQDetailSerializer(FAQDetailSerializer):
    id = serializers.IntegerField(source="obj.pk", allow_null=True, help_text=DRAFT_ID_HELP)


class DraftCampaignSerializer(CampaignSerializer):
    id = serializers.IntegerField(source="obj.pk", allow_null=True, help_text=DRAFT_ID_HELP)


class DraftHelpLineSerializer(HelpLineSerializer):
    id = serializers.IntegerField(source="obj.pk", allow_null=True, help_text=DRAFT_ID_HELP)


class DraftCitationSerializer(CitationSerializer):
    id = serializers.IntegerField(source="obj.pk", allow_null=True, help_text=DRAFT_ID_HELP)


class PreviewSerializer(serializers.Serializer):
    """A draft as the public API would serve it: ``{"kind": "faqpage", "data": FAQDetail}``."""

    kind = serializers.ChoiceField(choices=["faqpage", "campaignpage", "helpline", "sourcecitation"])
    # A declared field (DRF's metaclass takes it off the class), not the ``Serializer.data`` property.
    data = PolymorphicProxySerializer(  # type: ignore[assignment]
        component_name="PreviewData",
        serializers=[
            DraftFAQDetailSerializer,
            DraftCampaignSerializer,
            DraftHelpLineSerializer,
            DraftCitationSerializer,
        ],
        resource_type_field_name=None,
        help_text="The draft in the shape of its public detail endpoint (by kind); its id is null while "
        "it has not been saved.",
    )


# --- the delta-sync feed (GET /api/v1/changes/, api.feed) ------------------------------------

CHANGE_DATA = PolymorphicProxySerializer(
    component_name="ChangeData",
    serializers=[FAQDetailSerializer, CampaignSerializer, HelpLineSerializer, CitationSerializer],
    resource_type_field_name=None,
    help_text="An upsert's object, exactly as its detail endpoint (`url`) serves it (by `type`); "
    "null in a tombstone.",
)


@extend_schema_field(CHANGE_DATA)
class ChangeDataField(serializers.JSONField):
    """The detail representation the feed has already built (api.feed.judge), as is."""


class ChangeSerializer(serializers.Serializer):
    """One item of the feed: an upsert or a tombstone, keyed by ``(type, key, locale)``::

    {"op": "upsert", "type": "faq", "key": "…", "locale": "nl", "slug": "veelgestelde-vragen",
     "url": "https://…/api/v1/faqs/veelgestelde-vragen/?locale=nl", "reason": null, "data": FAQDetail}
    {"op": "tombstone", "type": "helpline", "key": "…", "locale": "fr", "slug": null, "url": null,
     "reason": "unpublished", "data": null}
    """

    op = serializers.ChoiceField(
        choices=["upsert", "tombstone"],
        help_text="upsert: store `data` under (type, key, locale); tombstone: remove that entry.",
    )
    type = serializers.ChoiceField(choices=["campaign", "faq", "helpline", "citation"])
    key = serializers.UUIDField(
        help_text="The object's translation_key: stable across edits, slugs and moves."
    )
    locale = serializers.CharField(
        help_text="The item's locale: the requested one (then `data.locale` may be a fallback), or "
        "with ?locale=all the translation's own."
    )
    slug = serializers.CharField(allow_null=True, help_text="The current slug (upserts of slugged types).")
    url = serializers.URLField(allow_null=True, help_text="The detail endpoint that serves `data` (upserts).")
    reason = serializers.ChoiceField(
        choices=[
            "deleted",
            "not_translated",
            "unpublished",
            "not_yet_live",
            "expired",
            "restricted",
            "hidden_by_ancestor",
        ],
        allow_null=True,
        help_text="Why the item is not public (tombstones): deleted; not_translated (not in this "
        "locale or its fallbacks); unpublished; not_yet_live (scheduled later); expired; "
        "restricted (it or a page above it is private); hidden_by_ancestor (a page above it is not "
        "published now).",
    )
    # A declared field (DRF's metaclass takes it off the class), not the ``Serializer.data`` property.
    data = ChangeDataField(allow_null=True)  # type: ignore[assignment]


class ChangesSerializer(serializers.Serializer):
    """One answer of the feed::

    {"mode": "snapshot", "more": true, "next": "https://…/api/v1/changes/?since=…",
     "next_token": "…", "results": [Change…]}
    """

    mode = serializers.ChoiceField(
        choices=["snapshot", "delta"],
        help_text="snapshot: a page of the initial sync (upserts only); delta: changes after `since`.",
    )
    more = serializers.BooleanField(
        help_text="True: fetch `next` right away (more pages are ready). False: caught up; poll `next` later."
    )
    next = serializers.URLField(help_text="Always present: where to continue (the same query, with `since`).")
    next_token = serializers.CharField(help_text="The opaque token in `next` (the `since` to keep).")
    results = ChangeSerializer(many=True)
