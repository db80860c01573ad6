"""The lock files are what `make install`, CI and the image install: they must agree
with the pins in pyproject.toml, or a pin changed without `make lock` would be tested
against one version and shipped with another."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s;\\]+)")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name.split("[")[0]).lower()


def pins(requirements: list[str]) -> dict[str, str]:
    found = {}
    for line in requirements:
        match = PIN.match(line.strip())
        assert match, f"pyproject.toml: {line!r} is not pinned with =="
        found[canonical(match[1])] = match[2]
    return found


def read_lock(name: str) -> dict[str, tuple[str, int]]:
    """{package: (version, number of hashes)} of requirements/<name>.lock."""
    entries: dict[str, tuple[str, int]] = {}
    current = None
    for line in (ROOT / "requirements" / f"{name}.lock").read_text().splitlines():
        match = PIN.match(line)
        if match:
            current = canonical(match[1])
            entries[current] = (match[2], 0)
        elif "--hash=sha256:" in line and current:
            version, hashes = entries[current]
            entries[current] = (version, hashes + 1)
    return entries


PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
RUNTIME = pins(PROJECT["dependencies"])
DEV = pins(PROJECT["optional-dependencies"]["dev"])


@pytest.mark.parametrize("lock, wanted", [("runtime", RUNTIME), ("dev", RUNTIME | DEV)])
def test_every_pin_of_pyproject_is_in_the_lock_at_its_version(lock, wanted):
    locked = read_lock(lock)
    wrong = {name: (version, locked.get(name, ("missing",))[0])
             for name, version in wanted.items()
             if locked.get(name, ("",))[0] != version}
    assert not wrong, (f"requirements/{lock}.lock is stale (pyproject, lock): {wrong}; "
                       "run make lock")


@pytest.mark.parametrize("lock", ["runtime", "dev"])
def test_every_locked_package_has_a_hash(lock):
    unhashed = [name for name, (_, hashes) in read_lock(lock).items() if not hashes]
    assert not unhashed, f"requirements/{lock}.lock: no hash for {unhashed}"


def test_the_image_gets_no_test_tooling():
    runtime = read_lock("runtime")
    assert not set(DEV) & set(runtime), "dev packages in requirements/runtime.lock"


def test_make_install_and_ci_take_every_package_from_the_lock_with_its_hash():
    """The Dockerfile's side is deploy/check_manifests.py's; here `make install`
    (so `make run`, `make test`) and CI, which installs through `make test` only."""
    installs = [line.strip() for line in (ROOT / "Makefile").read_text().splitlines()
                if "pip install" in line]
    assert installs and all("--no-deps" in line for line in installs), installs
    assert any("--require-hashes" in line and "-r requirements/dev.lock" in line
               for line in installs), installs
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci and "pip install" not in ci
