"""Baken's embeddable web components (``baken.js``), served at ``/embed/v1/baken.js``.

Invariants: the module is one static file, served as it is in the repository (so its
subresource-integrity hash, :func:`integrity`, is what the README publishes; a test checks it),
to any origin (``Access-Control-Allow-Origin: *``: it is public code, and a module script from
another origin needs CORS), never through the API's response cache or rate limit.
"""

import base64
import hashlib
from functools import cache
from pathlib import Path

MODULE = Path(__file__).with_name("baken.js")
# TypeScript declarations shipped beside the module: the elements (hand-written) and the public
# objects (generated from the OpenAPI document by openapi-typescript: `make types`).
DECLARATIONS = {name: Path(__file__).with_name(name) for name in ("baken.d.ts", "baken-api.d.ts")}


@cache
def module_bytes() -> bytes:
    return MODULE.read_bytes()


@cache
def declaration_bytes(name: str) -> bytes:
    return DECLARATIONS[name].read_bytes()


def integrity() -> str:
    """The module's subresource-integrity value (``integrity="…"`` on the script tag)."""
    return "sha384-" + base64.b64encode(hashlib.sha384(module_bytes()).digest()).decode()
