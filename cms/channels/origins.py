"""Origins as browsers send them (``Origin: https://www.example.org``): parsed and normalised.

An origin is a scheme (``https``, or ``http``), a host and an optional port; nothing else. The
scheme and host are lower-cased and a default port (443, 80) is dropped, so the stored form is the
one a browser sends and a plain string comparison decides.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.utils.translation import gettext as _

DEFAULT_PORTS = {"https": 443, "http": 80}


def normalise_origin(text: str) -> str:
    """The origin ``text`` names, as a browser sends it; ValueError when it is no origin."""
    candidate = text.strip()
    if candidate.endswith("/") and candidate.count("/") == 3:
        candidate = candidate[:-1]
    try:
        parts = urlsplit(candidate)
        port = parts.port
    except ValueError:
        parts, port = None, None
    if (
        parts is None
        or parts.scheme.lower() not in DEFAULT_PORTS
        or not parts.hostname
        or parts.username is not None
        or parts.password is not None
        or parts.path
        or parts.query
        or parts.fragment
        or "*" in candidate
    ):
        raise ValueError(
            _("“%(line)s” is not an origin: write a scheme, a host and an optional port, like %(example)s.")
            % {"line": text.strip(), "example": "https://www.example.org"}
        )
    scheme, host = parts.scheme.lower(), parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    if port is None or port == DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def parse_origins(text: str) -> list[str]:
    """One origin per non-empty line, normalised, without repeats, in their order."""
    found: list[str] = []
    for line in (text or "").splitlines():
        if line.strip():
            origin = normalise_origin(line)
            if origin not in found:
                found.append(origin)
    return found
