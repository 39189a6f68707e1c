"""Front-end test tools from the npm registry (axe-core, openapi-typescript), pinned and cached
per version under ~/.cache/baken-tests/ (XDG_CACHE_HOME): installed with the machine's npm the
first time, a clear skip where npm or the registry cannot be had."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "baken-tests"


def package_file(package: str, version: str, relative: str) -> Path:
    """A file of ``package@version`` (``relative`` to the package's folder), installed if need be."""
    prefix = CACHE / f"{package}-{version}"
    found = prefix / "node_modules" / package / relative
    if found.exists():
        return found
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip(f"npm is not installed: cannot fetch {package}")
    prefix.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund", f"{package}@{version}"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0 or not found.exists():
        pytest.skip(f"could not install {package} {version} with npm: {done.stderr[-500:]}")
    return found


def command(package: str, version: str, name: str) -> Path:
    """An executable a package installs (node_modules/.bin/<name>)."""
    package_file(package, version, "package.json")
    return CACHE / f"{package}-{version}" / "node_modules" / ".bin" / name
