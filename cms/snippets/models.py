"""Translatable snippets: help-lines and source citations.

Both use Wagtail's mixin stack (as bakerydemo's FooterText does) so an edit can be
saved as a draft, reviewed, published and audited, one row per locale linked by
``translation_key``.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import format_lazy, slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    PreviewableMixin,
    RevisionMixin,
    TranslatableMixin,
    WorkflowMixin,
)
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from cms import validators
from cms.labels import label_fields
from cms.mixins import HeadlessPreviewMixin
from cms.opening_hours import WEEKDAY_CHOICES, OpeningInterval, validate_intervals
from cms.snippets.forms import HelpLineAdminFormMixin, SynchronisedInlinePanel
from cms.translation_completeness import TranslationCompleteMixin


class ContactType(models.TextChoices):
    PHONE = "phone", _("Phone")
    SMS = "sms", _("SMS")
    CHAT = "chat", _("Chat")
    EMAIL = "email", _("E-mail")
    WEB_FORM = "web_form", _("Web reporting form")


# How often, by default, someone checks that a help-line's details and a citation's source are
# still right. Each help-line and citation can have its own interval.
HELPLINE_REVIEW_INTERVAL_DAYS = 180
CITATION_REVIEW_INTERVAL_DAYS = 365
MAX_REVIEW_INTERVAL_DAYS = 3650


def review_interval_field(default: int) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        _("review every (days)"),
        default=default,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_REVIEW_INTERVAL_DAYS)],
        help_text=format_lazy(
            _("Days between reviews; the review-by date is the last check plus this. Default {default}."),
            default=default,
        ),
    )


class ReviewIntervalFormMixin:
    """A blank review interval in the admin form means the model's default, not an error."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "review_interval_days" in self.fields:
            self.fields["review_interval_days"].required = False

    def clean_review_interval_days(self):
        value = self.cleaned_data.get("review_interval_days")
        if value is None:
            return self._meta.model._meta.get_field("review_interval_days").default
        return value


class ReviewByMixin:
    """The review-by date: the last check (``REVIEW_DATE_FIELD``) plus ``review_interval_days``."""

    REVIEW_DATE_FIELD = ""

    @property
    def last_checked(self) -> dt.date | None:
        return getattr(self, self.REVIEW_DATE_FIELD)

    @property
    def review_by(self) -> dt.date | None:
        """None when it was never checked: then it is overdue already."""
        if self.last_checked is None:
            return None
        return self.last_checked + dt.timedelta(days=self.review_interval_days)

    @property
    def review_by_text(self) -> str:
        return self.review_by.isoformat() if self.review_by else str(_("now (never checked)"))

    def is_review_overdue(self, today: dt.date | None = None) -> bool:
        """Overdue once the review-by date has passed, or when it was never checked."""
        today = today or timezone.localdate()
        return self.review_by is None or self.review_by < today


class HelpLineForm(HelpLineAdminFormMixin, ReviewIntervalFormMixin, WagtailAdminModelForm):
    """Checks the opening hours as a whole: rows that overlap each other on the same day.

    The rest of the editor (translations' synchronised fields, languages) is in cms/snippets/forms.py.
    """

    def clean(self):
        cleaned_data = super().clean()
        formset = self.formsets.get("opening_hours")
        if formset is None or not formset.is_valid():
            return cleaned_data
        intervals = [
            OpeningInterval(
                form.cleaned_data["weekday"], form.cleaned_data["opens"], form.cleaned_data["closes"]
            )
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        try:
            validate_intervals(intervals)
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned_data


class HelpLine(
    TranslationCompleteMixin,
    TranslatableMixin,
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    HeadlessPreviewMixin,
    PreviewableMixin,
    ReviewByMixin,
    index.Indexed,
    ClusterableModel,
):
    """A way to get help or to report: a phone line, a reporting point, an address.

    Contact values, availability, languages and area are the same in every language:
    the translation in the default locale is their source, and every other translation
    copies them from it whenever either is saved (see ``sync_from_source``).
    """

    REVIEW_DATE_FIELD = "last_verified"
    SYNCHRONISED_FIELDS = (
        "slug",
        "is_free",
        "anonymous_possible",
        "available_24_7",
        "time_zone",
        "languages",
        "area_served",
        "last_verified",
        "review_interval_days",
    )

    name = models.CharField(max_length=255)
    slug = models.SlugField(
        max_length=100,
        blank=True,
        help_text=_(
            "Identifies the help-line in the API; the same in every language. "
            "Left blank, it is made from the name."
        ),
    )
    organisation = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    is_free = models.BooleanField(_("free of charge"), default=True)
    anonymous_possible = models.BooleanField(_("anonymous contact possible"), default=False)
    available_24_7 = models.BooleanField(
        _("available 24/7"),
        default=False,
        help_text=_("Leave unticked to give weekly opening hours instead."),
    )
    time_zone = models.CharField(
        max_length=64,
        default=settings.BAKEN_DEFAULT_TIME_ZONE,
        validators=[validators.validate_time_zone],
        help_text=_("IANA time zone the opening hours are given in, e.g. Europe/Brussels."),
    )
    languages = models.JSONField(
        default=list,
        blank=True,
        validators=[validators.validate_language_tags],
        help_text=_('Languages served, as BCP 47 tags, e.g. ["nl", "fr", "en"].'),
    )
    area_served = models.CharField(
        max_length=10,
        default="BE",
        validators=[validators.validate_area_code],
        help_text=_("ISO 3166 country or region code, e.g. BE or BE-VLG."),
    )
    last_verified = models.DateField(
        null=True, blank=True, help_text=_("When someone last checked these details were right.")
    )
    review_interval_days = review_interval_field(HELPLINE_REVIEW_INTERVAL_DAYS)
    # Contact points and opening hours as one JSON document, rewritten on every save, so the
    # public API reads a help-line in one query instead of one per child table.
    published_details = models.JSONField(default=dict, editable=False)

    base_form_class = HelpLineForm

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("slug"), FieldPanel("organisation"), FieldPanel("description")],
            heading=_("Help-line"),
        ),
        SynchronisedInlinePanel(
            "contact_points", heading=_("Contact points"), min_num=1, label=_("Contact point")
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("is_free"), FieldPanel("anonymous_possible")]),
                FieldPanel("available_24_7"),
                FieldPanel("time_zone"),
            ],
            heading=_("Cost and availability"),
        ),
        SynchronisedInlinePanel("opening_hours", heading=_("Weekly opening hours"), label=_("Opening hours")),
        MultiFieldPanel(
            [FieldPanel("languages"), FieldPanel("area_served")],
            heading=_("Reach"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("last_verified"), FieldPanel("review_interval_days")])],
            heading=_("Review"),
        ),
    ]

    # wagtail-localize: translators see only texts; values people act on are copied, never offered.
    translatable_fields = [
        TranslatableField("name"),
        TranslatableField("organisation"),
        TranslatableField("description"),
        TranslatableField("contact_points"),  # labels offered; types and values synchronised
        # opening_hours are copied from the source by HelpLine.save, never offered.
        *(SynchronizedField(name, overridable=False) for name in SYNCHRONISED_FIELDS),
    ]

    search_fields = [
        index.SearchField("name", boost=2),
        index.AutocompleteField("name"),
        index.SearchField("organisation"),
        index.SearchField("description"),
        index.FilterField("locale_id"),
        index.FilterField("live"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("help-line")
        verbose_name_plural = _("help-lines")
        # Not translated: Django stores permission names in the database as they are when migrating.
        permissions = [("verify_helpline", "Can mark help-line verified")]
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="unique_helpline_slug_per_locale"),
        ]

    def __str__(self):
        return self.name

    def full_clean(self, *args, **kwargs):
        if not self.slug and self.name:
            self.slug = slugify(self.name)[:100]
        super().full_clean(*args, **kwargs)

    def clean(self):
        super().clean()
        clashing = HelpLine.objects.filter(slug=self.slug).exclude(translation_key=self.translation_key)
        if clashing.exists():
            raise ValidationError({"slug": _("Another help-line already uses this slug.")})

    # --- keeping locale-independent data in step across translations ---------------------

    def get_sync_source(self) -> "HelpLine | None":
        """The translation whose contact data all others copy: the default locale's, else the oldest."""
        if self.locale.language_code == settings.BAKEN_DEFAULT_LOCALE:
            return None
        translations = HelpLine.objects.filter(translation_key=self.translation_key).exclude(pk=self.pk)
        default = translations.filter(locale__language_code=settings.BAKEN_DEFAULT_LOCALE).first()
        if default is not None:
            return default
        oldest = translations.order_by("pk").first()
        if oldest is not None and (self.pk is None or oldest.pk < self.pk):
            return oldest
        return None

    def sync_from_source(self, source: "HelpLine") -> None:
        for field_name in self.SYNCHRONISED_FIELDS:
            setattr(self, field_name, getattr(source, field_name))
        own = {point.translation_key: point for point in self.contact_points.all()}
        points = []
        for source_point in source.contact_points.all():
            point = own.get(source_point.translation_key) or ContactPoint(
                translation_key=source_point.translation_key, label=source_point.label
            )
            point.locale_id = self.locale_id
            point.contact_type, point.value = source_point.contact_type, source_point.value
            point.sort_order = source_point.sort_order
            points.append(point)
        self.contact_points = points
        self.opening_hours = [
            OpeningHours(
                weekday=hours.weekday,
                opens=hours.opens,
                closes=hours.closes,
                sort_order=hours.sort_order,
            )
            for hours in source.opening_hours.all()
        ]

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        touches_content = update_fields is None
        if touches_content:
            source = self.get_sync_source()
            if source is not None:
                self.sync_from_source(source)
        with transaction.atomic():
            super().save(*args, **kwargs)
            if touches_content:
                self.published_details = self.details_document()
                HelpLine.objects.filter(pk=self.pk).update(published_details=self.published_details)
            if touches_content and self.get_sync_source() is None:
                for translation in HelpLine.objects.filter(translation_key=self.translation_key).exclude(
                    pk=self.pk
                ):
                    translation.save()

    # --- presentation -------------------------------------------------------------------

    @property
    def contact_summary(self) -> str:
        return ", ".join(point.value for point in self.contact_points.all())

    def details_document(self) -> dict:
        return {
            "contact_points": [
                {"contact_type": point.contact_type, "value": point.value, "label": point.label}
                for point in sorted(self.contact_points.all(), key=lambda point: point.sort_order or 0)
            ],
            "opening_hours": [
                interval.as_document()
                for interval in sorted(hours.interval() for hours in self.opening_hours.all())
            ],
        }

    def published_opening_intervals(self) -> tuple[OpeningInterval, ...]:
        """The opening hours of the published version (``published_details``), in order."""
        documents = (self.published_details or {}).get("opening_hours", [])
        return tuple(OpeningInterval.from_document(document) for document in documents)


class ContactPoint(TranslatableMixin, Orderable):
    """One way to reach a help-line. Its translation_key links the same contact point across
    translations, so a translated label survives a change of number in the source; its locale
    always follows its help-line's."""

    helpline = ParentalKey(HelpLine, on_delete=models.CASCADE, related_name="contact_points")
    contact_type = models.CharField(_("type"), max_length=20, choices=ContactType.choices)
    value = models.CharField(
        max_length=255,
        help_text=_("Phone/SMS number (116000 or +32 2 …), e-mail address, or https:// address."),
    )
    label = models.CharField(
        max_length=255, help_text=_("How it is shown, e.g. 'Call 116000, day and night'.")
    )

    panels = [FieldPanel("contact_type"), FieldPanel("value"), FieldPanel("label")]

    translatable_fields = [
        TranslatableField("label"),
        SynchronizedField("contact_type", overridable=False),
        SynchronizedField("value", overridable=False),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["sort_order"]
        verbose_name = _("contact point")

    def save(self, *args, **kwargs):
        self.locale_id = self.helpline.locale_id
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        self.value = (self.value or "").strip()
        try:
            if self.contact_type in (ContactType.PHONE, ContactType.SMS):
                self.value = validators.normalise_phone_number(self.value)
            elif self.contact_type == ContactType.EMAIL:
                validators.validate_email_address(self.value)
            elif self.contact_type in (ContactType.WEB_FORM, ContactType.CHAT):
                validators.validate_web_url(self.value)
        except ValidationError as error:
            raise ValidationError({"value": error.messages}) from error

    def __str__(self):
        return f"{self.get_contact_type_display()}: {self.value}"


class OpeningHours(Orderable):
    helpline = ParentalKey(HelpLine, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(choices=WEEKDAY_CHOICES)
    opens = models.TimeField()
    closes = models.TimeField(help_text=_("Use 23:59:59 for 'until midnight'."))

    panels = [FieldRowPanel([FieldPanel("weekday"), FieldPanel("opens"), FieldPanel("closes")])]

    class Meta(Orderable.Meta):
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")

    def interval(self) -> OpeningInterval:
        return OpeningInterval(weekday=self.weekday, opens=self.opens, closes=self.closes)

    def clean(self):
        super().clean()
        if self.opens is not None and self.closes is not None:
            validate_intervals([self.interval()])


class CitationType(models.TextChoices):
    REPORT = "report", _("Report")
    ARTICLE = "article", _("Article")
    DATASET = "dataset", _("Dataset")
    LEGISLATION = "legislation", _("Legislation")
    INVESTIGATIVE_JOURNALISM = "investigative_journalism", _("Investigative journalism")
    WEB_PAGE = "web_page", _("Web page")


class SourceCitationForm(ReviewIntervalFormMixin, WagtailAdminModelForm):
    pass


class SourceCitation(
    TranslationCompleteMixin,
    TranslatableMixin,
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    HeadlessPreviewMixin,
    PreviewableMixin,
    ReviewByMixin,
    index.Indexed,
    models.Model,
):
    """A public source behind a published figure or claim."""

    REVIEW_DATE_FIELD = "last_reviewed"

    title = models.CharField(max_length=500)
    authors = models.TextField(
        blank=True,
        help_text=_("One person per line, as 'Family name, Given names'."),
    )
    organisation = models.CharField(
        max_length=255, blank=True, help_text=_("Author organisation, when there is no personal author.")
    )
    publisher = models.CharField(max_length=255, blank=True)
    url = models.URLField(_("URL"), max_length=1000, blank=True, validators=[validators.validate_web_url])
    publication_date = models.DateField(null=True, blank=True)
    accessed_date = models.DateField(null=True, blank=True)
    citation_type = models.CharField(_("type"), max_length=32, choices=CitationType.choices)
    language = models.CharField(
        max_length=35,
        validators=[validators.validate_language_tag],
        help_text=_("Language of the source itself (BCP 47), e.g. en or nl."),
    )
    notes = RichTextField(features=["bold", "italic", "link"], blank=True)
    last_reviewed = models.DateField(
        null=True,
        blank=True,
        help_text=_("When someone last checked the source is still available and still says this."),
    )
    review_interval_days = review_interval_field(CITATION_REVIEW_INTERVAL_DAYS)

    base_form_class = SourceCitationForm

    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("notes"),
        SynchronizedField("authors", overridable=False),
        SynchronizedField("organisation"),
        SynchronizedField("publisher"),
        SynchronizedField("url", overridable=False),
        SynchronizedField("publication_date", overridable=False),
        SynchronizedField("accessed_date", overridable=False),
        SynchronizedField("citation_type", overridable=False),
        SynchronizedField("language"),
        SynchronizedField("last_reviewed", overridable=False),
        SynchronizedField("review_interval_days", overridable=False),
    ]

    panels = [
        FieldPanel("title"),
        FieldPanel("citation_type"),
        MultiFieldPanel([FieldPanel("authors"), FieldPanel("organisation")], heading=_("Authorship")),
        FieldPanel("publisher"),
        FieldPanel("url"),
        FieldRowPanel([FieldPanel("publication_date"), FieldPanel("accessed_date")]),
        FieldPanel("language"),
        FieldPanel("notes"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("last_reviewed"), FieldPanel("review_interval_days")])],
            heading=_("Review"),
        ),
    ]

    search_fields = [
        index.SearchField("title", boost=2),
        index.AutocompleteField("title"),
        index.SearchField("authors"),
        index.SearchField("organisation"),
        index.SearchField("publisher"),
        index.FilterField("locale_id"),
        index.FilterField("citation_type"),
        index.FilterField("live"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("source citation")
        verbose_name_plural = _("source citations")

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if not self.authors.strip() and not self.organisation.strip():
            raise ValidationError(_("Give the authors, the organisation, or both."))
        if self.accessed_date and self.accessed_date > timezone.localdate():
            raise ValidationError({"accessed_date": _("The accessed date cannot be in the future.")})
        if self.last_reviewed and self.last_reviewed > timezone.localdate():
            raise ValidationError({"last_reviewed": _("The review date cannot be in the future.")})

    @property
    def author_names(self) -> list[str]:
        return [line.strip() for line in self.authors.splitlines() if line.strip()]


# Fields named after themselves: their labels in the admin's language (see cms/labels.py).
label_fields(
    HelpLine,
    name=_("name"),
    slug=_("slug"),
    organisation=_("organisation"),
    description=_("description"),
    time_zone=_("time zone"),
    languages=_("languages"),
    area_served=_("area served"),
    last_verified=_("last verified"),
)
label_fields(ContactPoint, value=_("value"), label=_("label"))
label_fields(OpeningHours, weekday=_("weekday"), opens=_("opens"), closes=_("closes"))
label_fields(
    SourceCitation,
    title=_("title"),
    authors=_("authors"),
    organisation=_("organisation"),
    publisher=_("publisher"),
    publication_date=_("publication date"),
    accessed_date=_("accessed date"),
    language=_("language"),
    notes=_("notes"),
    last_reviewed=_("last reviewed"),
)
