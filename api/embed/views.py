"""``GET /embed/v1/baken.js``: the web components module, and its TypeScript declarations
``baken.d.ts`` and ``baken-api.d.ts`` (see api.embed)."""

import hashlib

from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from api.embed import declaration_bytes, module_bytes


@require_safe
def module(request):
    return _public_file(request, module_bytes(), "text/javascript; charset=utf-8")


@require_safe
def declarations(request, name: str):
    return _public_file(request, declaration_bytes(name), "application/typescript; charset=utf-8")


def _public_file(request, body: bytes, content_type: str) -> HttpResponse:
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    response: HttpResponse
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    patch_vary_headers(response, ["Accept-Encoding"])
    return response
