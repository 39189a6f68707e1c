"""The HSDS Page envelope: ``total_items``, ``total_pages``, ``page_number``, ``size``,
``first_page``, ``last_page``, ``empty`` and the page's ``contents``.

Pages are numbered from 1. ``empty`` says whether this page has no contents (always so past the
last page, and on every page of an empty result); ``total_pages`` is 0 for an empty result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class HSDSPage:
    total_items: int
    page_number: int
    per_page: int

    @property
    def total_pages(self) -> int:
        return -(-self.total_items // self.per_page)

    def slice(self, items: Sequence[T]) -> Sequence[T]:
        start = (self.page_number - 1) * self.per_page
        if start >= len(items):
            return []
        return items[start : start + self.per_page]

    def envelope(self, contents: Sequence[dict]) -> dict:
        return {
            "total_items": self.total_items,
            "total_pages": self.total_pages,
            "page_number": self.page_number,
            "size": len(contents),
            "first_page": self.page_number == 1,
            "last_page": self.page_number >= self.total_pages,
            "empty": not contents,
            "contents": list(contents),
        }
