from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from api import views
from api.feed.views import ChangesView
from api.json_schemas.views import SchemaDocumentView, SchemaIndexView

app_name = "api"

router = SimpleRouter(trailing_slash=True)
router.register("locales", views.LocaleViewSet, basename="locales")
router.register("campaigns", views.CampaignViewSet, basename="campaigns")
router.register("faqs", views.FAQViewSet, basename="faqs")
router.register("helplines", views.HelpLineViewSet, basename="helplines")
router.register("citations", views.CitationViewSet, basename="citations")
router.register("search", views.SearchViewSet, basename="search")

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("preview/", views.PreviewView.as_view(), name="preview"),
    path("docs/", views.DocsView.as_view(url_name="api:schema"), name="docs"),
    path("changes/", ChangesView.as_view(), name="changes"),
    # The published JSON Schemas (api.json_schemas); "-list" like the router's names, for the index.
    path("schemas/", SchemaIndexView.as_view(), name="schemas-list"),
    path("schemas/<slug:name>.json", SchemaDocumentView.as_view(), name="schemas-detail"),
    *router.urls,
    # Any other path below /api/v1/, including ones with a newline (which "." would not match),
    # is a problem+json 404.
    re_path(r"^[\s\S]*$", views.unknown_endpoint, name="unknown"),
]
