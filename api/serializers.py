"""Response shapes of the public API. Views hand them model instances prepared by the selectors
(``served_locale``, ``is_fallback`` and expansions set as attributes)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class RichTextSerializer(serializers.Serializer):
    """``{"html": "<p>Bel <b>116000</b>.</p>", "text": "Bel 116000."}``"""

    html = serializers.CharField(help_text="Sanitised HTML: p, b, i, a, ol, ul, li, br only.")
    text = serializers.CharField(help_text="The same content as plain text.")


class TranslatedObjectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    translation_key = serializers.UUIDField()
    locale = serializers.CharField(source="served_locale", help_text="Language actually served.")
    is_fallback = serializers.BooleanField(
        help_text="True when the object is served in a fallback language, not the one asked for."
    )
    translation_outdated = serializers.BooleanField(
        help_text="True when this translation's source (the default-language version) was published "
        "after it: the translation may lag behind."
    )


class ContactPointSerializer(serializers.Serializer):
    """``{"type": "phone", "value": "116000", "label": "Bel gratis 116000", "href": "tel:116000"}``"""

    type = serializers.ChoiceField(
        source="contact_type", choices=["phone", "sms", "chat", "email", "web_form"]
    )
    value = serializers.CharField(help_text="Normalised: E.164 or national short number, e-mail, or URL.")
    label = serializers.CharField()
    href = serializers.CharField(help_text="tel:, sms:, mailto: or https: link to act on it.")


class OpeningHoursSerializer(serializers.Serializer):
    """``{"day": "monday", "opens": "09:00", "closes": "17:00"}``"""

    day = serializers.ChoiceField(
        choices=["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    )
    opens = serializers.CharField()
    closes = serializers.CharField()


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

    slug = serializers.SlugField()
    name = serializers.CharField()
    organisation = serializers.CharField()
    description = serializers.CharField()
    contact_points = ContactPointSerializer(many=True, source="api_contact_points")
    is_free = serializers.BooleanField()
    anonymous_possible = serializers.BooleanField()
    availability = AvailabilitySerializer(source="api_availability")
    open_now = serializers.BooleanField(source="api_open_now")
    languages = serializers.ListField(child=serializers.CharField())
    area_served = serializers.CharField()
    last_verified = serializers.DateField(allow_null=True)
    last_published_at = serializers.DateTimeField(allow_null=True)
    structured_data = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_structured_data(self, obj) -> dict:
        return obj.api_structured_data


class HelpLineSummarySerializer(TranslatedObjectSerializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


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

    title = serializers.CharField()
    authors = serializers.ListField(child=serializers.CharField(), source="author_names")
    organisation = serializers.CharField()
    publisher = serializers.CharField()
    url = serializers.CharField()
    publication_date = serializers.DateField(allow_null=True)
    accessed_date = serializers.DateField(allow_null=True)
    type = serializers.ChoiceField(
        source="citation_type",
        choices=["report", "article", "dataset", "legislation", "investigative_journalism", "web_page"],
    )
    language = serializers.CharField()
    notes = RichTextSerializer(source="api_notes")
    last_published_at = serializers.DateTimeField(allow_null=True)


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

    title = serializers.CharField()
    slug = serializers.SlugField()
    campaign = serializers.CharField(source="api_campaign_slug", allow_null=True)
    question_count = serializers.IntegerField(source="api_question_count")
    last_published_at = serializers.DateTimeField(allow_null=True)


class FAQDetailSerializer(FAQSummarySerializer):
    """An FAQ page with its sections, questions and answers; help-lines and citations inline::

    {…summary fields…, "intro": {"html": "", "text": ""},
     "sections": [{"heading": "FAQ", "questions": [Question…]}],
     "translations": [{"locale": "fr", "slug": "questions-frequentes"}],
     "structured_data": {"@context": "https://schema.org", "@type": "FAQPage", "inLanguage": "nl", …}}
    """

    intro = RichTextSerializer(source="api_intro")
    sections = SectionSerializer(many=True, source="api_sections")
    translations = TranslationLinkSerializer(many=True, source="api_translations")
    structured_data = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_structured_data(self, obj) -> dict:
        return obj.api_structured_data


class KeyDateSerializer(serializers.Serializer):
    """``{"date": "2015-11-18", "label": "Europese dag …", "recurs_annually": true,
    "next_occurrence": "2027-11-18"}``"""

    date = serializers.DateField()
    label = serializers.CharField()
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

    name = serializers.CharField(source="title")
    slug = serializers.SlugField()
    summary = serializers.CharField()
    key_dates = KeyDateSerializer(many=True, source="api_key_dates")
    faqs = FAQSummarySerializer(many=True, source="api_faqs")
    helplines = HelpLineSerializer(many=True, source="api_helplines")
    translations = TranslationLinkSerializer(many=True, source="api_translations")
    last_published_at = serializers.DateTimeField(allow_null=True)


class LocaleSerializer(serializers.Serializer):
    """``{"code": "de", "name": "Deutsch", "is_default": false, "fallbacks": ["nl"]}``"""

    code = serializers.CharField()
    name = serializers.CharField()
    is_default = serializers.BooleanField()
    fallbacks = serializers.ListField(child=serializers.CharField())


class LocalesSerializer(serializers.Serializer):
    default = serializers.CharField()
    locales = LocaleSerializer(many=True)


class SearchResultSerializer(serializers.Serializer):
    """``{"faq": {"id": 9, "slug": "veelgestelde-vragen", "title": "…", "locale": "nl", "is_fallback": false},
    "anchor": "waarom-nu", "question": "Waarom nu?", "excerpt": "…18 november is de Europese dag…",
    "score": 3.0}``"""

    faq = serializers.DictField(
        help_text="id, slug, title, locale, is_fallback and translation_outdated of the FAQ page."
    )
    anchor = serializers.CharField()
    question = serializers.CharField()
    excerpt = serializers.CharField()
    score = serializers.FloatField()


class IndexSerializer(serializers.Serializer):
    endpoints = serializers.DictField(child=serializers.CharField())
