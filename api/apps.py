from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "Baken public API"

    def ready(self):
        from api import response_cache

        response_cache.connect_signals()
