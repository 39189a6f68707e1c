"""Every error is an RFC 9457 problem document (``application/problem+json``), never a stack trace."""

from http import HTTPStatus

from django.http import Http404, JsonResponse
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import set_rollback

PROBLEM_CONTENT_TYPE = "application/problem+json"
# Problem types are URNs: stable identifiers that promise no document to dereference.
PROBLEM_BASE = "urn:baken:problem:"


class InvalidParameters(exceptions.ValidationError):
    """A 400 naming each bad query parameter and why."""

    def __init__(self, invalid_params: dict[str, str]):
        self.invalid_params = invalid_params
        super().__init__(invalid_params)


def problem(status: int, *, detail: str, type_name: str | None = None, **extra) -> dict:
    return {
        "type": f"{PROBLEM_BASE}{type_name}" if type_name else "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        **extra,
    }


def api_exception_handler(exc, context):
    """DRF's exception handler, answering in problem+json."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, InvalidParameters):
        names = ", ".join(sorted(exc.invalid_params))
        body = problem(
            400,
            detail=f"Invalid query parameter(s): {names}.",
            type_name="invalid-parameters",
            invalid_params=[
                {"name": name, "reason": reason} for name, reason in sorted(exc.invalid_params.items())
            ],
        )
    elif isinstance(exc, exceptions.APIException):
        detail = exc.detail if isinstance(exc.detail, str) else "The request could not be processed."
        body = problem(exc.status_code, detail=str(detail))
    else:
        return None
    set_rollback()
    headers = {}
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    if isinstance(exc, exceptions.MethodNotAllowed):
        view = context.get("view")
        if view is not None:
            headers["Allow"] = ", ".join(view.allowed_methods)
    response = Response(body, status=body["status"], headers=headers, content_type=PROBLEM_CONTENT_TYPE)
    response["Cache-Control"] = "private, no-store"
    return response


def problem_response(status: int, detail: str) -> JsonResponse:
    response = JsonResponse(problem(status, detail=detail), status=status, content_type=PROBLEM_CONTENT_TYPE)
    response["Cache-Control"] = "private, no-store"
    return response


def api_aware_404(request, exception=None):
    from django.views.defaults import page_not_found

    if request.path.startswith("/api/"):
        return problem_response(404, "No such API resource.")
    return page_not_found(request, exception)


def api_aware_500(request):
    from django.views.defaults import server_error

    if request.path.startswith("/api/"):
        return problem_response(500, "The server could not answer this request.")
    return server_error(request)
