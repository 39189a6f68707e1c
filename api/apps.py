from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "Baken public API"

    def ready(self):
        from api import cors
        from api.response_cache import invalidation

        invalidation.connect_signals()
        cors.connect_signals()
