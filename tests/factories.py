"""factory_boy factories for Baken's snippets: the defaults of tests/content.py's ContentBuilder.

Tests do not call these: they ask the builder (fixture ``content``), which makes a snippet with a
factory and then publishes it, keeps it a draft or leaves it as saved. Both snippets are created
live (``live=True`` is the DraftStateMixin default) in the nl locale, the default content locale.
"""

import datetime as dt

import factory
from wagtail.models import Locale

from cms.snippets.models import (
    CitationType,
    ContactPoint,
    ContactType,
    HelpLine,
    SourceCitation,
)


def locale(language_code: str) -> Locale:
    return Locale.objects.get(language_code=language_code)


class HelpLineFactory(factory.django.DjangoModelFactory):
    """A help-line with one contact point (a phone number, unless ``contact_points`` says otherwise).

    ``contact_points`` and ``opening_hours`` take lists of unsaved ContactPoint / OpeningHours
    objects; they are attached as child objects before the help-line is saved.
    """

    class Meta:
        model = HelpLine
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Hulplijn {n}")
    slug = factory.Sequence(lambda n: f"hulplijn-{n}")
    organisation = "Child Focus"
    description = "Dag en nacht bereikbaar."
    locale = factory.LazyFunction(lambda: locale("nl"))
    available_24_7 = True
    languages = factory.LazyFunction(lambda: ["nl", "fr"])
    area_served = "BE"
    contact_points = factory.LazyFunction(
        lambda: [ContactPoint(contact_type=ContactType.PHONE, value="116000", label="Bel gratis 116000")]
    )
    opening_hours = factory.LazyFunction(list)

    @classmethod
    def _create(cls, model_class, *args, contact_points=(), opening_hours=(), **kwargs):
        helpline = model_class(*args, **kwargs)
        helpline.contact_points = list(contact_points)
        helpline.opening_hours = list(opening_hours)
        helpline.save()
        return helpline

    @classmethod
    def _build(cls, model_class, *args, contact_points=(), opening_hours=(), **kwargs):
        helpline = model_class(*args, **kwargs)
        helpline.contact_points = list(contact_points)
        helpline.opening_hours = list(opening_hours)
        return helpline


class SourceCitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SourceCitation

    title = factory.Sequence(lambda n: f"Jaarverslag {n}")
    organisation = "Child Focus"
    publisher = "Child Focus"
    url = factory.Sequence(lambda n: f"https://www.childfocus.be/rapport-{n}")
    publication_date = dt.date(2023, 6, 1)
    citation_type = CitationType.REPORT
    language = "nl"
    locale = factory.LazyFunction(lambda: locale("nl"))
