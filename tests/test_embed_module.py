"""The web components module as Baken serves it (``/embed/v1/baken.js``): any origin may load it,
it is small, and the subresource-integrity value the README publishes is the module's own.
The components themselves are tested in real Chromium (tests/test_reference_page_browser.py)."""

import gzip
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from api.embed import integrity, module_bytes
from cms.channels.models import Channel

README = Path(__file__).resolve().parents[1] / "README.md"
MAX_COMPRESSED_BYTES = 25 * 1024


def test_the_module_is_served_to_any_origin_as_javascript_with_validators(client):
    answer = client.get("/embed/v1/baken.js", HTTP_ORIGIN="https://www.partner.example")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/javascript; charset=utf-8"
    assert answer["Access-Control-Allow-Origin"] == "*"
    assert answer["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert answer.content == module_bytes()
    again = client.get("/embed/v1/baken.js", HTTP_IF_NONE_MATCH=answer["ETag"])
    assert (again.status_code, again.content) == (304, b"")
    assert client.post("/embed/v1/baken.js").status_code == 405


def test_the_module_stays_under_25_kb_compressed():
    assert len(gzip.compress(module_bytes(), compresslevel=9)) <= MAX_COMPRESSED_BYTES


def test_the_readme_publishes_the_current_integrity_value():
    published = re.findall(r'integrity="(sha384-[A-Za-z0-9+/=]+)"', README.read_text(encoding="utf-8"))
    assert published, "README has no integrity value for the module"
    assert set(published) == {integrity()}, f"update README.md: integrity={integrity()}"


def test_the_module_needs_nothing_a_strict_policy_forbids():
    source = module_bytes().decode()
    for forbidden in ("eval(", "new Function", 'setAttribute("style"', "document.cookie", "document.write"):
        assert forbidden not in source, forbidden


def test_make_run_registers_the_reference_page_as_a_channel(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("ensure_reference_channel", "--origin", "http://127.0.0.1:8001/", stdout=out)
    call_command("ensure_reference_channel", "--origin", "http://127.0.0.1:8001", stdout=out)
    channel = Channel.objects.get()
    assert (channel.allowed_origins, channel.active) == ("http://127.0.0.1:8001", True)
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("ensure_reference_channel", "--origin", "http://127.0.0.1:8001")


OPENAPI_TYPESCRIPT_VERSION = "7.13.0"  # as in the Makefile's `make types`
REPOSITORY = Path(__file__).resolve().parents[1]


def test_the_typescript_declarations_are_generated_from_the_current_openapi_document(tmp_path):
    import subprocess

    from tests.npm import command

    generator = command("openapi-typescript", OPENAPI_TYPESCRIPT_VERSION, "openapi-typescript")
    fresh = tmp_path / "baken-api.d.ts"
    subprocess.run(
        [str(generator), str(REPOSITORY / "tests" / "snapshots" / "openapi.json"), "-o", str(fresh)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    committed = REPOSITORY / "api" / "embed" / "baken-api.d.ts"
    assert fresh.read_text() == committed.read_text(), "run `make types` and commit api/embed/baken-api.d.ts"
    assert f"openapi-typescript@{OPENAPI_TYPESCRIPT_VERSION}" in (REPOSITORY / "Makefile").read_text()


def test_the_declarations_are_served_beside_the_module(client):
    for name in ("baken.d.ts", "baken-api.d.ts"):
        answer = client.get(f"/embed/v1/{name}")
        assert answer.status_code == 200
        assert answer["Content-Type"] == "application/typescript; charset=utf-8"
        assert answer["Access-Control-Allow-Origin"] == "*"
        assert answer.content == (REPOSITORY / "api" / "embed" / name).read_bytes()
    assert client.get("/embed/v1/other.d.ts").status_code == 404


def test_the_declarations_compile_with_typescript():
    import subprocess

    from tests.npm import command

    tsc = command("typescript", "5.9.3", "tsc")
    done = subprocess.run(
        [
            str(tsc),
            "--noEmit",
            "--strict",
            "--lib",
            "es2022,dom",
            str(REPOSITORY / "api" / "embed" / "baken.d.ts"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
