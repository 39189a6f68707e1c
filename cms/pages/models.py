"""Page models: a home page per locale, campaigns below it, FAQ pages below campaigns."""

from django.db import models
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from cms import roles, validators
from cms.blocks import ANSWER_FEATURES, FAQSectionsBlock
from cms.labels import label_fields
from cms.mixins import HeadlessPreviewMixin
from cms.translation_completeness import TranslationCompleteMixin

# One plain page for all three types: Baken is headless, this is only what a visit to the page
# URL (or a link in the admin) shows, in the page's own language.
PAGE_TEMPLATE = "cms/page.html"


class HomePage(TranslationCompleteMixin, Page):
    """The root of one locale's content tree; campaigns live below it."""

    template = PAGE_TEMPLATE

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.CampaignPage"]
    max_count_per_parent = None

    class Meta:
        verbose_name = _("home page")


class CampaignPage(TranslationCompleteMixin, HeadlessPreviewMixin, Page):
    template = PAGE_TEMPLATE

    summary = models.TextField(help_text=_("One or two sentences: what the campaign is about."))
    faq_url_template = models.CharField(
        _("public FAQ address"),
        max_length=500,
        blank=True,
        validators=[validators.validate_faq_url_template],
        help_text=_(
            "Where the campaign site shows an FAQ page, with {slug} and optionally {locale}, e.g. "
            "https://schatjeschatje.be/{locale}/faq/{slug}/. Search engines get it as the page's address."
        ),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("faq_url_template"),
        InlinePanel("key_dates", heading=_("Key dates"), label=_("Key date")),
        InlinePanel("campaign_helplines", heading=_("Help-lines to show"), label=_("Help-line")),
    ]

    search_fields = Page.search_fields + [index.SearchField("summary")]

    # Each language's campaign site may live elsewhere: a translation starts with the source's
    # address (copied, not offered to translators) and can be given its own.
    override_translatable_fields = [SynchronizedField("faq_url_template")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.FAQPage"]

    class Meta:
        verbose_name = _("campaign page")


class CampaignKeyDate(Orderable):
    translatable_fields = [
        TranslatableField("label"),
        SynchronizedField("date", overridable=False),
        SynchronizedField("recurs_annually", overridable=False),
    ]

    page = ParentalKey(CampaignPage, on_delete=models.CASCADE, related_name="key_dates")
    date = models.DateField()
    label = models.CharField(
        max_length=255,
        help_text=_("e.g. European Day on the Protection of Children against Sexual Abuse"),
    )
    recurs_annually = models.BooleanField(default=True, help_text=_("The same day every year."))

    panels = [FieldRowPanel([FieldPanel("date"), FieldPanel("recurs_annually")]), FieldPanel("label")]


class CampaignHelpLine(Orderable):
    page = ParentalKey(CampaignPage, on_delete=models.CASCADE, related_name="campaign_helplines")
    helpline = models.ForeignKey("cms.HelpLine", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("helpline")]


class FAQPage(TranslationCompleteMixin, HeadlessPreviewMixin, Page):
    template = PAGE_TEMPLATE

    intro = RichTextField(features=ANSWER_FEATURES, blank=True)
    body = StreamField(
        FAQSectionsBlock(),
        blank=True,
        help_text=_("Sections of questions and answers, in the order readers see them."),
    )

    # Derived from ``body`` on every save that writes it, so lists need not read the body.
    question_count = models.PositiveIntegerField(default=0, editable=False)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]

    search_fields = Page.search_fields + [
        # Accent- and case-folded, so "europeenne" finds "européenne" on every database.
        index.SearchField("searchable_text"),
    ]

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "body" in update_fields:
            self.question_count = self.count_questions()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "question_count"}
        return super().save(*args, **kwargs)

    def count_questions(self) -> int:
        return sum(len(section["value"].get("questions", [])) for section in self.body.raw_data)

    def searchable_text(self) -> str:
        from cms.text import fold, plain_text

        parts = [self.title, plain_text(self.intro)]
        for section in self.body.raw_data:
            parts.append(section["value"].get("heading", ""))
            for item in section["value"].get("questions", []):
                question = item["value"]
                parts += [question.get("question", ""), plain_text(question.get("answer", ""))]
        return fold(" ".join(part for part in parts if part))

    parent_page_types = ["cms.CampaignPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("FAQ page")


# Fields named after themselves: their labels in the admin's language (see cms/labels.py).
label_fields(CampaignPage, summary=_("summary"))
label_fields(CampaignKeyDate, date=_("date"), label=_("label"), recurs_annually=_("recurs annually"))
label_fields(CampaignHelpLine, helpline=_("helpline"))
label_fields(FAQPage, intro=_("intro"), body=_("body"))

# Editors and Translators work below each home page, including home pages created later.
post_save.connect(roles.on_home_page_saved, sender=HomePage, dispatch_uid="baken-home-page-roles")
