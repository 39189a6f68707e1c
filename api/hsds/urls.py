"""``/api/hsds/v3/``: HSDS's paths, without a trailing slash (one is accepted too)."""

from django.urls import path, re_path

from api.hsds import views

app_name = "hsds"

urlpatterns = [
    path("", views.MetaView.as_view(), name="meta"),
    re_path(r"^profile/?$", views.ProfileView.as_view(), name="profile"),
    re_path(r"^services/?$", views.ServiceListView.as_view(), name="services"),
    re_path(r"^services/(?P<service_id>[^/]+)/?$", views.ServiceDetailView.as_view(), name="service"),
    re_path(r"^organizations/?$", views.OrganizationListView.as_view(), name="organizations"),
    re_path(
        r"^organizations/(?P<organization_id>[^/]+)/?$",
        views.OrganizationDetailView.as_view(),
        name="organization",
    ),
    # Any other path below /api/hsds/v3/ (a newline included) is a problem+json 404.
    re_path(r"^[\s\S]*$", views.unknown_endpoint, name="unknown"),
]
