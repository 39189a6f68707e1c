"""The committed copies of the published JSON Schemas: ``schemas/v1/<name>.json``.

Invariants:

* The directory holds exactly one file per document of the catalogue, named ``<name>.json``,
  whose text is ``render()`` of the current document; any other ``*.json`` there is extra (a
  document that was removed or renamed). Other files (none today) are not ours and are left alone.
* :func:`differences` only reads; :func:`write` changes only what differs (it rewrites stale and
  missing files and removes extra ones), so running it twice changes nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from api.json_schemas.documents import API_VERSION, current_rendered

EXPORT_COMMAND = "manage.py export_schemas"
MAKE_TARGET = "make schemas"


def default_directory() -> Path:
    return Path(settings.BASE_DIR) / "schemas" / API_VERSION


def expected_files(rendered: dict[str, str] | None = None) -> dict[str, str]:
    """File name → text, of every document."""
    rendered = current_rendered() if rendered is None else rendered
    return {f"{name}.json": text for name, text in rendered.items()}


@dataclass
class Differences:
    missing: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.missing or self.stale or self.extra)

    def lines(self, *, done: bool = False) -> list[str]:
        """One line per file: what differs, or (``done``) what :func:`write` did about it."""
        missing, stale, extra = ("written", "updated", "removed") if done else ("missing", "stale", "extra")
        return [
            *(f"{missing}: {name}" for name in self.missing),
            *(f"{stale}: {name}" for name in self.stale),
            *(f"{extra}: {name}" for name in self.extra),
        ]


def differences(directory: Path, expected: dict[str, str] | None = None) -> Differences:
    """How ``directory`` differs from what the export would write (file names, sorted)."""
    expected = expected_files() if expected is None else expected
    found = {path.name: path for path in directory.glob("*.json")} if directory.is_dir() else {}
    result = Differences()
    for name, text in sorted(expected.items()):
        if name not in found:
            result.missing.append(name)
        elif found[name].read_text(encoding="utf-8") != text:
            result.stale.append(name)
    result.extra = sorted(set(found) - set(expected))
    return result


def write(directory: Path, expected: dict[str, str] | None = None) -> Differences:
    """Make ``directory`` hold exactly the expected files; returns what it changed."""
    expected = expected_files() if expected is None else expected
    changed = differences(directory, expected)
    directory.mkdir(parents=True, exist_ok=True)
    for name in [*changed.missing, *changed.stale]:
        (directory / name).write_text(expected[name], encoding="utf-8")
    for name in changed.extra:
        (directory / name).unlink()
    return changed
