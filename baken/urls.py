from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from api.embed import views as embed
from baken import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", include("api.urls")),
    # Help-lines in Open Referral HSDS 3 (read-only; api/hsds/), before Wagtail's catch-all.
    path("api/hsds/v3/", include("api.hsds.urls")),
    path("embed/v1/baken.js", embed.module, name="embed-module"),
    re_path(r"^embed/v1/(?P<name>baken(-api)?\.d\.ts)$", embed.declarations, name="embed-declarations"),
    path("", include(wagtail_urls)),
]

handler404 = "api.errors.api_aware_404"
handler500 = "api.errors.api_aware_500"
