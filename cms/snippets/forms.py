"""The help-line editor: which fields a translation may change, languages as choices, duplicates.

One place for what the help-line's admin form does beyond the model's own validation:

* **Translations.** A help-line's values belong to its default-locale (Dutch) version and every
  translation copies them (``HelpLine.sync_from_source``). In a translation's form those fields
  (``HelpLine.SYNCHRONISED_FIELDS``, a contact point's type and value, the opening hours) are
  disabled: the widgets say where they are changed, posted values are ignored, contact points and
  opening hours can be neither added nor removed. Only texts (name, organisation, description,
  contact labels) are edited there. The default-locale version stays fully editable.
* **Languages served** are check boxes of the configured content languages (``BAKEN_LOCALES``),
  plus any other tag a help-line already stores, so saving the form never drops one.
* **Duplicate contacts.** ``duplicate_contacts()`` lists contact values that another help-line
  (another ``translation_key``) already has; the admin views show them as warnings after a save.

This module imports no models: ``cms.snippets.models`` builds its form from the mixin below.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from django import forms
from django.conf import settings
from django.conf.locale import LANG_INFO
from django.contrib.admin.utils import quote
from django.core.exceptions import ValidationError
from django.forms.formsets import DELETION_FIELD_NAME, ORDERING_FIELD_NAME, BaseFormSet
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import InlinePanel

from cms import validators

# Which fields of each synchronised child relation are copied from the source (the rest, such as
# a contact point's label, are the translation's own). ``None``: every field.
SYNCHRONISED_CHILD_FIELDS = {
    "contact_points": ("contact_type", "value"),
    "opening_hours": None,
}
# What the note above a translation's rows names.
SYNCHRONISED_CHILD_NOTES = {
    "contact_points": _("Contact types and values"),
    "opening_hours": _("Opening hours"),
}


# --- languages served ----------------------------------------------------------------------------


def language_name(code: str) -> str:
    """The language's own name: the configured one for content languages, else Django's, else the tag."""
    configured = dict(settings.LANGUAGES)
    if code in configured:
        return str(configured[code])
    for key in (code.lower(), code.split("-")[0].lower()):
        if key in LANG_INFO and "name_local" in LANG_INFO[key]:
            return LANG_INFO[key]["name_local"]
    return code


def language_choices(stored=()) -> list[tuple[str, str]]:
    """The configured content languages, then any other tag already stored, as "Nederlands (nl)"."""
    codes = list(
        dict.fromkeys([*settings.BAKEN_LOCALES, *(code for code in stored if isinstance(code, str))])
    )
    return [(code, f"{capfirst(language_name(code))} ({code})") for code in codes]


class LanguagesField(forms.MultipleChoiceField):
    """Check boxes of BCP 47 tags; the value is a list in the order of the choices."""

    widget = forms.CheckboxSelectMultiple
    default_validators = [validators.validate_language_tags]

    def clean(self, value):
        selected = set(super().clean(value))
        return [code for code, _label in self.choices if code in selected]


# --- synchronised fields in a translation ---------------------------------------------------------


def source_language_name(source) -> str:
    """The source's language in the admin's language, e.g. "Dutch" (English admin) or "néerlandais"."""
    try:
        return get_language_info(source.locale.language_code)["name_translated"]
    except KeyError:
        return source.locale.get_display_name()


def synchronised_note(source, what=None):
    """The note "Synchronised from the Dutch version: change it there.", linking to the source's editor."""
    url = reverse("wagtailsnippets_cms_helpline:edit", args=[quote(source.pk)])
    if what is None:
        lead = _("Synchronised from the %(language)s version:") % {"language": source_language_name(source)}
        link = _("change it there")
    else:
        lead = _("%(what)s are synchronised from the %(language)s version:") % {
            "what": what,
            "language": source_language_name(source),
        }
        link = _("change them there")
    return format_html('{} <a href="{}">{}</a>.', lead, url, link)


def locked_formset_class(formset_class):
    """A child formset that holds exactly the rows it was given: none added, none removed.

    Whatever a POST claims (TOTAL_FORMS, INITIAL_FORMS, ids), form *i* edits the *i*-th of the
    translation's own rows, so only the fields left enabled (labels) can change.
    """

    class SynchronisedChildFormSet(formset_class):
        validate_min = False
        validate_max = False

        def initial_form_count(self):
            return len(self.get_queryset())

        def total_form_count(self):
            return self.initial_form_count()

        def _construct_form(self, i, **kwargs):
            kwargs["instance"] = self.get_queryset()[i]
            return BaseFormSet._construct_form(self, i, **kwargs)

    SynchronisedChildFormSet.__name__ = f"Synchronised{formset_class.__name__}"
    return SynchronisedChildFormSet


# --- duplicate contacts --------------------------------------------------------------------------


def comparable_contact_value(contact_type: str, value: str) -> str:
    """The form two contact values are compared in: normalised numbers, case-folded addresses."""
    value = (value or "").strip()
    if contact_type in ("phone", "sms"):
        try:
            return validators.normalise_phone_number(value)
        except ValidationError:
            return value
    if contact_type == "email":
        return value.casefold()
    if contact_type in ("web_form", "chat"):
        parts = urlsplit(value)
        return urlunsplit(
            (parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"), parts.query, "")
        )
    return value


@dataclass(frozen=True)
class DuplicateContact:
    contact_type_label: str
    value: str
    other: object  # the other help-line (its default-locale version when there is one)


def find_duplicate_contacts(points, translation_key) -> list[DuplicateContact]:
    """Contact points among ``points`` ((type, type label, value) triples) that another help-line has."""
    from cms.snippets.models import ContactPoint

    found = []
    for contact_type, type_label, value in points:
        wanted = comparable_contact_value(contact_type, value)
        if not wanted:
            continue
        others = {}
        candidates = (
            ContactPoint.objects.filter(contact_type=contact_type)
            .exclude(helpline__translation_key=translation_key)
            .select_related("helpline__locale")
            .order_by("helpline_id")
        )
        for candidate in candidates:
            if comparable_contact_value(candidate.contact_type, candidate.value) != wanted:
                continue
            helpline = candidate.helpline
            current = others.get(helpline.translation_key)
            if current is None or (
                helpline.locale.language_code == settings.BAKEN_DEFAULT_LOCALE
                and current.locale.language_code != settings.BAKEN_DEFAULT_LOCALE
            ):
                others[helpline.translation_key] = helpline
        found += [DuplicateContact(type_label, value, other) for other in others.values()]
    return found


# --- the form ---------------------------------------------------------------------------------------


class HelpLineAdminFormMixin:
    """For ``HelpLineForm``: languages as check boxes; in a translation, synchronised fields read-only."""

    def __init__(self, *args, **kwargs):
        instance = kwargs.get("instance")
        self.sync_source = self._find_sync_source(instance)
        if self.sync_source is not None:
            # Show (and save) exactly what the source has now, even when this translation's latest
            # draft was saved before the source last changed. In memory only: nothing is written.
            instance.sync_from_source(self.sync_source)
        super().__init__(*args, **kwargs)
        if "languages" in self.fields:
            self._use_language_choices()
        if self.sync_source is not None:
            self._lock_synchronised_fields()

    @staticmethod
    def _find_sync_source(instance):
        if instance is None or instance.pk is None or not getattr(instance, "locale_id", None):
            return None
        return instance.get_sync_source()

    @property
    def is_translation(self) -> bool:
        return self.sync_source is not None

    def _use_language_choices(self):
        stored = self.initial.get("languages")
        stored = stored if isinstance(stored, list | tuple) else []
        self.fields["languages"] = LanguagesField(
            choices=language_choices(stored),
            required=False,
            label=_("Languages served"),
            help_text=_("The languages people can be helped in."),
        )

    def _lock_synchronised_fields(self):
        source = self.sync_source
        note = synchronised_note(source)
        for name in self._meta.model.SYNCHRONISED_FIELDS:
            field = self.fields.get(name)
            if field is None:
                continue
            field.disabled = True
            field.help_text = note
            self.initial[name] = getattr(source, name)

        for relation, field_names in SYNCHRONISED_CHILD_FIELDS.items():
            formset = self.formsets.get(relation)
            if formset is None:
                continue
            locked = locked_formset_class(type(formset))(
                self.data if self.is_bound else None,
                self.files if self.is_bound else None,
                instance=self.instance,
                prefix=formset.prefix,
                form_kwargs=formset.form_kwargs,
            )
            for form in locked.forms:
                for name, field in form.fields.items():
                    if name in (DELETION_FIELD_NAME, ORDERING_FIELD_NAME, "id") or (
                        field_names is None or name in field_names
                    ):
                        field.disabled = True
                        if name not in (DELETION_FIELD_NAME, ORDERING_FIELD_NAME, "id"):
                            field.help_text = note
            self.formsets[relation] = locked

    def save(self, commit=True):
        instance = super().save(commit=commit)
        if not commit and self.sync_source is not None:
            # Saved as a revision (a live translation): the revision holds the source's values too.
            instance.sync_from_source(self.sync_source)
        return instance

    # --- duplicate contact values, for a warning after saving ----------------------------------------

    def duplicate_contacts(self) -> list[DuplicateContact]:
        """Contact values of this (default-locale) help-line that another help-line already uses."""
        formset = self.formsets.get("contact_points")
        if self.is_translation or formset is None or not self.is_valid():
            return []
        points = []
        for form in formset.forms:
            if not form.cleaned_data or form.cleaned_data.get(DELETION_FIELD_NAME):
                continue
            point = form.instance  # its value normalised by ContactPoint.clean
            points.append((point.contact_type, point.get_contact_type_display(), point.value))
        return find_duplicate_contacts(points, self.instance.translation_key)


class SynchronisedInlinePanel(InlinePanel):
    """An InlinePanel that, in a translation's form, offers no adding, removing or reordering."""

    class BoundPanel(InlinePanel.BoundPanel):
        @cached_property
        def sync_source(self):
            return getattr(self.form, "sync_source", None)

        @property
        def template_name(self):
            if self.sync_source is not None:
                return "cms/panels/synchronised_inline_panel.html"
            return "wagtailadmin/panels/inline_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            if self.sync_source is not None:
                context["can_order"] = False
                what = SYNCHRONISED_CHILD_NOTES.get(self.panel.relation_name, capfirst(self.panel.heading))
                context["synchronised_note"] = synchronised_note(self.sync_source, what)
            return context
