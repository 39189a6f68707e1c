"""Real server processes for the tests that need them: ``runserver`` and ``gunicorn`` (``make
serve``'s configuration, ``baken/gunicorn_conf.py``, with two workers) on one database with the
demo content, in the configuration people run.

``deployed(kind, tmp_path)`` builds one: ``sqlite-without-redis`` (``make run``: a SQLite file,
each process its own private cache) or ``postgresql-with-redis`` (production: a fresh PostgreSQL
database and Redis; skipped where they do not run), migrated, with the demo content and the
development administrator, its servers started, and everything removed afterwards.
"""

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.published_schemas import check_http_answer

REPOSITORY = Path(__file__).resolve().parents[1]
KINDS = ("sqlite-without-redis", "postgresql-with-redis")


def reachable(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Deployment:
    """A database with the demo content, the environment of every process using it, and its servers."""

    def __init__(self, env: dict, tmp_path: Path):
        self.env = env
        self.tmp_path = tmp_path
        self.servers: list[subprocess.Popen] = []
        self.bases: list[str] = []

    def manage(self, *args: str, env: dict | None = None) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=REPOSITORY,
            env=env or self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, f"manage.py {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
        return done.stdout

    def shell(self, code: str, env: dict | None = None) -> str:
        return self.manage("shell", "-v0", "-c", code, env=env)

    def start(self) -> None:
        log = (self.tmp_path / "servers.log").open("ab")
        port = free_port()
        self.servers.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "manage.py",
                    "runserver",
                    f"127.0.0.1:{port}",
                    "--noreload",
                    "--skip-checks",
                ],
                cwd=REPOSITORY,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
        self.bases.append(f"http://127.0.0.1:{port}")
        port = free_port()
        self.servers.append(
            subprocess.Popen(
                [
                    str(Path(sys.executable).with_name("gunicorn")),
                    "baken.wsgi",
                    "--config",  # make serve's configuration, with fewer workers
                    "python:baken.gunicorn_conf",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "2",
                ],
                cwd=REPOSITORY,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
        self.bases.append(f"http://127.0.0.1:{port}")
        for base in self.bases:
            for _ in range(240):
                if reachable(int(base.rsplit(":", 1)[1])):
                    break
                time.sleep(0.25)
            else:
                raise AssertionError(f"{base} did not start: {(self.tmp_path / 'servers.log').read_text()}")

    def stop(self) -> None:
        for server in self.servers:
            server.terminate()
        for server in self.servers:
            server.wait(timeout=20)


def get(url: str) -> tuple[int, dict]:
    """The status and JSON body of a GET, retried while the server is not up yet; an API answer
    must match its published JSON Schema (tests/published_schemas.py)."""
    for attempt in range(40):
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                body = response.read()
                check_http_answer(url, status=response.status, headers=response.headers, body=body)
                return response.status, json.loads(body)
        except urllib.error.HTTPError as error:
            body = error.read()
            check_http_answer(url, status=error.code, headers=error.headers, body=body)
            return error.code, json.loads(body or b"{}")
        except OSError:
            if attempt == 39:
                raise
            time.sleep(0.25)
    raise AssertionError(url)


@contextlib.contextmanager
def deployed(kind: str, tmp_path: Path, *, serve: bool = True, **extra_env: str):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "baken.settings.dev",
        "PYTHONPATH": str(REPOSITORY),
        "BAKEN_CACHE_PREFIX": f"processes-{uuid.uuid4().hex}",
        "BAKEN_RATE_LIMIT_FILE": str(tmp_path / "rate-limits.sqlite3"),
        # Every request of a test comes from one address: unlimited, unless the test names a
        # limit (tests/test_rate_limits_processes.py). Still counted: the limiter's round trip runs.
        "BAKEN_RATE_LIMIT_ANONYMOUS": f"{10**9}/60",
        **extra_env,
    }
    env.pop("REDIS_URL", None)
    database = None
    if kind == "sqlite-without-redis":
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    else:
        if not (reachable(5432) and reachable(6379)):
            pytest.skip("PostgreSQL and Redis run on 127.0.0.1 for .ci/run; not here")
        import psycopg

        database = f"baken_processes_{uuid.uuid4().hex[:12]}"
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as server:
            server.execute(f'CREATE DATABASE "{database}"')
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"
        env["REDIS_URL"] = "redis://127.0.0.1:6379/13"
    built = Deployment(env, tmp_path)
    try:
        built.manage("migrate", "--noinput", "-v0")
        built.manage("load_demo_content")
        built.manage("ensure_dev_admin", "--base-url", "http://127.0.0.1:8000")
        if serve:
            built.start()
        yield built
    finally:
        built.stop()
        if database is not None:
            import psycopg

            with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as server:
                server.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


# --- a webhook receiver in its own process (tests/webhook_receiver.py) ----------------------------

RECEIVER = Path(__file__).with_name("webhook_receiver.py")


class Receiver:
    """A running receiver: its base URL and what it was sent (one record per request)."""

    def __init__(self, port: int, log: Path):
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.log = log

    def records(self) -> list[dict]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text().splitlines()]


@contextlib.contextmanager
def webhook_receiver(folder: Path, *tls: Path):
    """Start a receiver that logs to ``folder``; with ``tls`` (certificate, key) it speaks HTTPS."""
    port = free_port()
    log = folder / "received.jsonl"
    process = subprocess.Popen([sys.executable, str(RECEIVER), str(port), str(log), *map(str, tls)])
    try:
        for _ in range(200):
            if reachable(port):
                break
            time.sleep(0.05)
        yield Receiver(port, log)
    finally:
        process.terminate()
        process.wait(timeout=10)
