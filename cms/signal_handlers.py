from django.conf import settings


def ensure_content_locales(sender, **kwargs):
    """Create a Locale for every configured content language, so adding one needs no code."""
    from wagtail.models import Locale

    for language_code in settings.BAKEN_LOCALES:
        Locale.objects.get_or_create(language_code=language_code)
