"""README and docs/ tell the truth: the commands they quote exist, the files they
point to are there, and the ports table is the one the code, compose and the
Kubernetes manifests use. A newcomer follows only what the repository says."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

from services.common.registry import facts, process_names

REPO = Path(__file__).resolve().parents[2]
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md")),
        *sorted(REPO.glob("services/*/README.md")), REPO / "gateway" / "README.md",
        REPO / "bench" / "README.md"]
MAKEFILE = (REPO / "Makefile").read_text()
TARGETS = set(re.findall(r"^([a-zA-Z0-9_-]+):", MAKEFILE, re.MULTILINE))


def text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_make_target_a_document_quotes_exists(doc):
    quoted = set(re.findall(r"`make ([a-z][a-z0-9_-]*)", text(doc)))
    quoted |= set(re.findall(r"^make ([a-z][a-z0-9_-]*)", text(doc), re.MULTILINE))
    assert not quoted - TARGETS, f"{doc.name} quotes targets the Makefile lacks"


def test_make_help_lists_every_target():
    shown = subprocess.run(["make", "--no-print-directory", "help"], cwd=REPO,
                           capture_output=True, text=True, check=True).stdout
    listed = set(re.findall(r"^\s+(?:\x1b\[[0-9;]*m)?([a-zA-Z0-9_-]+)", shown,
                            re.MULTILINE))
    documented = set(re.findall(r"^([a-zA-Z0-9_-]+):.*## ", MAKEFILE, re.MULTILINE))
    phony = set(re.search(r"^\.PHONY: (.*)$", MAKEFILE, re.MULTILINE)[1].split())
    assert phony <= documented, f"targets without a ## line: {phony - documented}"
    assert documented == listed


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_file_a_document_points_to_is_in_the_repository(doc):
    named = re.findall(
        r"`((?:docs|deploy|services|gateway|bench|tests|requirements)/[\w./-]+)`",
        text(doc))
    ignored = [line.strip() for line in text(REPO / ".gitignore").splitlines()]
    missing = [path for path in named
               if "*" not in path and "<" not in path and path not in ignored
               and not any((REPO / form).exists() for form in forms(path))]
    assert not missing, f"{doc.name} points to what is not here: {missing}"
    assert "../" not in re.sub(r"`[^`]*`", "", text(doc)).replace(
        "](../", "](X"), "a document points outside the repository"


def forms(path: str) -> list[str]:
    """A file, or a module's attribute (``services/common/jsoncodec.read_document``)."""
    path = path.split(":")[0]
    return [path, f"{path.rsplit('.', 1)[0]}.py"]


def ports_table() -> dict[str, str]:
    deploy = text(REPO / "docs" / "deploy.md")
    table = deploy.split("<!-- ports -->")[1].split("<!-- /ports -->")[0]
    rows = [[cell.strip() for cell in line.strip("|").split("|")]
            for line in table.strip().splitlines()[2:]]
    return {row[0]: row[1] for row in rows}


def test_the_ports_table_is_what_make_run_compose_and_kubernetes_use():
    table = ports_table()
    compose = yaml.safe_load(text(REPO / "docker-compose.yml"))["services"]
    for name in process_names():
        port = 8000 if facts(name).front else facts(name).ops_port
        assert table.get(name) == str(port), f"{name}: the table says {table.get(name)}"
        manifest = text(REPO / "deploy" / "k8s" / "base" / f"{name}.yaml")
        assert f"containerPort: {port}" in manifest, name
        if not facts(name).front:
            assert compose[name]["environment"]["METRICS_PORT"] == str(port), name
    # the README names the same ops ports
    readme = text(REPO / "README.md")
    for name in process_names():
        if not facts(name).front:
            assert f"{name} {facts(name).ops_port}" in readme, name
