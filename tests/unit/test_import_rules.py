"""Import rules: each part knows only its contracts (docs/decisions/0028, 0030).

Read from the source (``ast``), not by importing it: every ``import`` counts, at the
top of a module or inside a function, except under ``if TYPE_CHECKING:``. A rule on
a module holds for what it imports from this repository too, transitively: a domain
that imports a kit module importing nameko imports nameko.

A rule that is not true yet is listed with ``enabled=False``: switch it on in the
change that makes it true.
"""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("services", "gateway")
KIT = "services.common"
# the modules of a service that are nameko's side: entrypoints and dependencies
ADAPTERS = {"service"}
# the package in which a service offers others its events, RPC schemas and errors
CONTRACTS = {"contracts"}
RUNTIME = {"nameko", "eventlet"}
# reading the time of day: a domain takes ``now`` from its caller (the Clock)
CLOCK_READS = {("services.common.db", "utcnow"), ("datetime", "datetime.now"),
               ("datetime", "datetime.utcnow"), ("datetime", "date.today")}


@dataclass(frozen=True)
class Module:
    name: str
    imports: frozenset[str]  # module names, as written or resolved (relative ones)
    clock_reads: frozenset[str]
    strings: frozenset[str] = frozenset()  # its string literals, docstrings aside


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _walk(tree: ast.AST) -> Iterable[ast.AST]:
    """Every node but those under ``if TYPE_CHECKING:`` (annotations only)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _type_checking(node):
            yield from (n for child in node.orelse for n in _walk_one(child))
            continue
        yield from _walk_one(node)


def _walk_one(node: ast.AST) -> Iterable[ast.AST]:
    yield node
    yield from _walk(node)


def read_module(root: Path, path: Path, known: set[str]) -> Module:
    name = module_name(root, path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    imports: set[str] = set()
    clock: set[str] = set()
    strings: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(body[0].value) for body in (
        getattr(n, "body", None) for n in ast.walk(tree))
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr)}
    for node in _walk(tree):
        if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                and id(node) not in docstrings):
            strings.add(node.value)
        elif isinstance(node, ast.Import):
            imports.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            imports.add(base)
            for alias in node.names:
                if f"{base}.{alias.name}" in known:  # ``from . import domain``
                    imports.add(f"{base}.{alias.name}")
                if (base, alias.name) in CLOCK_READS:
                    clock.add(f"{base}.{alias.name}")
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if ("datetime", f"{node.value.id}.{node.attr}") in CLOCK_READS:
                clock.add(f"{node.value.id}.{node.attr}()")
    return Module(name, frozenset(imports), frozenset(clock), frozenset(strings))


def read_modules(root: Path = ROOT, packages: Iterable[str] = PACKAGES
                 ) -> dict[str, Module]:
    paths = [p for package in packages for p in sorted((root / package).rglob("*.py"))]
    known = {module_name(root, p) for p in paths}
    return {m.name: m for m in (read_module(root, p, known) for p in paths)}


def _in_repo(name: str, modules: dict[str, Module]) -> list[str]:
    """The repository's modules an import of ``name`` runs: it and its packages."""
    parts = name.split(".")
    return [m for m in (".".join(parts[:n]) for n in range(1, len(parts) + 1))
            if m in modules]


def import_chain(start: str, modules: dict[str, Module],
                 forbidden: Callable[[str], bool]) -> list[str] | None:
    """The shortest chain of imports from ``start`` to a forbidden module, or None."""
    seen, queue = {start}, [[start]]
    while queue:
        chain = queue.pop(0)
        for imported in sorted(modules[chain[-1]].imports, reverse=True):
            if forbidden(imported):
                return [*chain, imported]
            for module in _in_repo(imported, modules):
                if module not in seen:
                    seen.add(module)
                    queue.append([*chain, module])
    return None


# -- who is who ---------------------------------------------------------------------
def service_of(name: str) -> str | None:
    """``services.onboarding.domain`` → ``onboarding``; None for the kit and others."""
    parts = name.split(".")
    if parts[0] != "services" or len(parts) < 2 or parts[1] == "common":
        return None
    return parts[1]


def is_kit(name: str) -> bool:
    return name == KIT or name.startswith(KIT + ".")


def is_plain_service_module(name: str) -> bool:
    """Domain code: every module of a service but its nameko adapters."""
    return service_of(name) is not None and name.split(".")[-1] not in ADAPTERS


def is_runtime(name: str) -> bool:
    return name.split(".")[0] in RUNTIME


def is_service_internal(name: str) -> bool:
    parts = name.split(".")
    return service_of(name) is not None and len(parts) > 2 and parts[2] not in CONTRACTS


def is_contract(name: str) -> bool:
    """``services.catalog.contracts`` and its modules."""
    parts = name.split(".")
    return service_of(name) is not None and len(parts) > 2 and parts[2] in CONTRACTS


# -- the rules ----------------------------------------------------------------------
@dataclass(frozen=True)
class Rule:
    says: str
    applies_to: Callable[[str], bool]
    forbidden: Callable[[str, str], bool]  # (module checked, module it reaches)
    transitive: bool = True
    enabled: bool = True

    def violations(self, modules: dict[str, Module]) -> list[str]:
        found = []
        for name in sorted(modules):
            if not self.applies_to(name):
                continue
            forbidden = lambda other, name=name: self.forbidden(name, other)  # noqa: E731
            if self.transitive:
                chain = import_chain(name, modules, forbidden)
            else:
                chain = next(([name, other] for other in sorted(modules[name].imports,
                                                                  reverse=True)
                              if forbidden(other)), None)
            if chain:
                found.append(" → ".join(chain))
        return found


# the nameko side of gateway/partners: its provider and its process type
PARTNER_ADAPTERS = {"interest", "service"}
RULES = [
    Rule("the kit imports no service",
         applies_to=is_kit,
         forbidden=lambda _, other: service_of(other) is not None
         or other.split(".")[0] == "gateway"),
    Rule("domain code imports no nameko nor eventlet, itself or through the kit",
         applies_to=is_plain_service_module,
         forbidden=lambda _, other: is_runtime(other)),
    Rule("the gateway's partner context imports nameko only in its adapters",
         applies_to=lambda name: name.startswith("gateway.partners.")
         and name.split(".")[-1] not in PARTNER_ADAPTERS,
         forbidden=lambda _, other: is_runtime(other)),
    Rule("a service imports another service's contracts only",
         applies_to=lambda name: service_of(name) is not None,
         forbidden=lambda name, other: service_of(other) not in (None, service_of(name))
         and is_service_internal(other),
         transitive=False),
    Rule("the gateway imports no service's internals",
         applies_to=lambda name: name.split(".")[0] == "gateway",
         forbidden=lambda _, other: is_service_internal(other),
         transitive=False),
    Rule("a contracts module imports no nameko nor eventlet, nor a service's "
         "non-contract module, itself or through what it imports",
         applies_to=is_contract,
         forbidden=lambda _, other: is_runtime(other) or is_service_internal(other)),
]


def part_names(root: Path = ROOT) -> set[str]:
    """The platform's parts: each service's package, the gateway, and every process
    type and producer registered in pyproject.toml."""
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    registered = {name for group in project.get("entry-points", {}).values()
                  for name in group}
    packages = {p.name for p in (root / "services").iterdir()
                if (p / "__init__.py").exists() and p.name != "common"}
    return packages | registered | {"gateway"}


def service_names_in_kit(modules: dict[str, Module], parts: set[str]) -> list[str]:
    """The kit's string literals that name a part ("tracking") or a part's module
    (``f"services.{name}.events"``): the kit reads the registry instead."""
    return [f"{name}: {text!r}" for name, module in sorted(modules.items())
            if is_kit(name) for text in sorted(module.strings)
            if text in parts or text.startswith("gateway.") or (
                text.startswith("services.") and not text.startswith(KIT))]


def clock_readers(modules: dict[str, Module]) -> list[str]:
    """Domain modules that read the time themselves (models' column defaults aside)."""
    return [f"{name} reads {', '.join(sorted(module.clock_reads))}"
            for name, module in sorted(modules.items())
            if is_plain_service_module(name) and not name.endswith(".models")
            and module.clock_reads]


@pytest.fixture(scope="module")
def modules() -> dict[str, Module]:
    return read_modules()


@pytest.mark.parametrize("rule", [
    pytest.param(rule, id=rule.says, marks=() if rule.enabled else pytest.mark.skip(
        reason="switched off until the code makes it true"))
    for rule in RULES
])
def test_import_rule(rule: Rule, modules):
    assert rule.violations(modules) == [], rule.says


def test_the_kit_names_no_service(modules):
    assert service_names_in_kit(modules, part_names()) == []


def test_domain_code_takes_the_time_from_its_caller(modules):
    assert clock_readers(modules) == []


# -- the rules catch what they say --------------------------------------------------
def _repo(tmp_path: Path, files: dict[str, str]) -> dict[str, Module]:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return read_modules(tmp_path)


PACKAGE_FILES = {"services/__init__.py": "", "services/common/__init__.py": "",
                 "services/school/__init__.py": "", "gateway/__init__.py": ""}


def test_the_rules_see_through_the_kit_and_relative_imports(tmp_path):
    modules = _repo(tmp_path, {
        **PACKAGE_FILES,
        "services/common/db.py": "def f():\n    from nameko.extensions import X\n",
        "services/common/kit.py": "from services.school import domain\n",
        "services/school/domain.py": "from services.common import db\n"
                                     "from services.common.db import utcnow\n",
        "services/school/roster.py": "from . import domain\n",
        "services/school/service.py": "import nameko\n",
        "services/school/plain.py": "from typing import TYPE_CHECKING\n"
                                    "if TYPE_CHECKING:\n    import nameko\n",
    })
    kit_rule, domain_rule, *_ = RULES
    assert kit_rule.violations(modules) == [
        "services.common.kit → services.school.domain"]
    assert domain_rule.violations(modules) == [
        "services.school.domain → services.common.db → nameko.extensions",
        "services.school.roster → services.school.domain → services.common.db"
        " → nameko.extensions",
    ]
    assert clock_readers(modules) == [
        "services.school.domain reads services.common.db.utcnow"]


def test_the_kit_names_no_part(tmp_path):
    modules = _repo(tmp_path, {
        **PACKAGE_FILES,
        "services/common/config.py": '"""Names "school" in its docstring only."""\n'
                                     'SERVICES = ("school",)\n'
                                     'def f(s):\n    return f"services.{s}.events"\n',
        "services/common/runner.py": 'RUN = "services.common.runner"\n',
    })
    assert service_names_in_kit(modules, {"school", "gateway"}) == [
        "services.common.config: 'school'",
        "services.common.config: 'services.'",
    ]


def test_the_rules_keep_services_and_gateway_to_contracts(tmp_path):
    modules = _repo(tmp_path, {
        **PACKAGE_FILES,
        "services/other/__init__.py": "",
        "services/other/domain.py": "",
        "services/other/contracts/__init__.py": "",
        "services/other/contracts/events.py": "from services.common import plain\n",
        "services/common/plain.py": "",
        "services/common/providers.py": "import eventlet\n",
        "services/school/contracts/__init__.py": "",
        "services/school/contracts/errors.py": "",
        "services/school/contracts/rpc.py": "from . import errors\n"
                                            "from ..domain import Row\n",
        "services/school/contracts/events.py": (
            "from services.common import providers\n"
            "from services.other.contracts import events\n"),
        "services/school/domain.py": "from services.other import domain\n"
                                     "from services.other.contracts.events import E\n"
                                     "from .contracts.errors import Invalid\n",
        "services/school/service.py": "from services.other.contracts import events\n",
        "gateway/routes.py": "from services.school.contracts import rpc\n"
                             "from services.other.domain import search\n",
        "gateway/errors.py": "from services.school.contracts.errors import Invalid\n",
    })
    _, _, _, services_rule, gateway_rule, contracts_rule = RULES
    assert services_rule.violations(modules) == [
        "services.school.domain → services.other.domain"]
    assert gateway_rule.violations(modules) == [
        "gateway.routes → services.other.domain"]
    assert contracts_rule.violations(modules) == [
        "services.school.contracts.events → services.common.providers → eventlet",
        "services.school.contracts.rpc → services.school.domain",
    ]
