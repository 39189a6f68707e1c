"""Behaviour shared by page and snippet models."""

from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _


class HeadlessPreviewMixin:
    """Preview a draft as the campaign site will show it (see api/preview.py).

    Two preview modes: the campaign site itself, opened with a signed token, and the raw API
    data for that draft.
    """

    @property
    def preview_modes(self):
        return [("", _("Campaign site")), ("data", _("API data"))]

    def serve_preview(self, request, mode_name):
        from api import preview

        token = preview.issue(self)
        if mode_name == "data":
            return JsonResponse(
                preview.open_preview(token)["data"], json_dumps_params={"ensure_ascii": False}
            )
        return TemplateResponse(
            request,
            "cms/previews/headless.html",
            {"object": self, "token": token, "client_url": preview.client_url(request)},
        )
