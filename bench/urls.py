"""Bench-only URLconf (``baken.settings.bench``): Baken's URLs plus what the bench compares them with."""

from django.urls import include, path

from bench import views
from bench.api_v2 import api_router

urlpatterns = [
    path("api/v2/", api_router.urls),
    path("bench/ceiling/", views.ceiling, name="bench-ceiling"),
    path("", include("baken.urls")),
]

handler404 = "api.errors.api_aware_404"
handler500 = "api.errors.api_aware_500"
