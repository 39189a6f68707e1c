"""The stack's ceiling: precomputed bytes, the size of an FAQ detail response, through every middleware."""

from django.conf import settings
from django.http import HttpResponse

_PREFIX, _SUFFIX = b'{"ceiling":"', b'"}'


def _body(size: int) -> bytes:
    return _PREFIX + b"x" * max(size - len(_PREFIX) - len(_SUFFIX), 0) + _SUFFIX


BODY = _body(settings.BENCH_CEILING_BYTES)


def ceiling(request):
    return HttpResponse(BODY, content_type="application/json")
