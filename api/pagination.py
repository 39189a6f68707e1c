from collections import OrderedDict

from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param


class Page:
    """One page of a list: ``{"count", "next", "previous", "results"}``."""

    def __init__(self, *, request, count: int, limit: int, offset: int):
        self.request, self.count, self.limit, self.offset = request, count, limit, offset

    def slice(self, items):
        if self.offset >= self.count:
            return []  # past the end; also keeps absurd offsets away from the database
        return items[self.offset : self.offset + self.limit]

    def _link(self, offset: int | None) -> str | None:
        if offset is None:
            return None
        url = replace_query_param(self.request.build_absolute_uri(), "limit", self.limit)
        if offset == 0:
            return remove_query_param(url, "offset")
        return replace_query_param(url, "offset", offset)

    @property
    def next_link(self):
        return self._link(self.offset + self.limit if self.offset + self.limit < self.count else None)

    @property
    def previous_link(self):
        return self._link(max(self.offset - self.limit, 0) if self.offset > 0 else None)

    def response(self, results, **kwargs) -> Response:
        return Response(
            OrderedDict(
                [
                    ("count", self.count),
                    ("next", self.next_link),
                    ("previous", self.previous_link),
                    ("results", results),
                ]
            ),
            **kwargs,
        )


def paginated_schema(item_schema: dict) -> dict:
    return {
        "type": "object",
        "required": ["count", "next", "previous", "results"],
        "properties": {
            "count": {"type": "integer", "example": 6},
            "next": {"type": ["string", "null"], "format": "uri"},
            "previous": {"type": ["string", "null"], "format": "uri"},
            "results": {"type": "array", "items": item_schema},
        },
    }
