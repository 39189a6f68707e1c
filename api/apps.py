from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "Baken public API"

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Locale

        from api import response_cache, selectors

        response_cache.connect_signals()
        post_save.connect(selectors.forget_locales, sender=Locale, dispatch_uid="baken-forget-locales")
        post_delete.connect(
            selectors.forget_locales, sender=Locale, dispatch_uid="baken-forget-locales-delete"
        )
