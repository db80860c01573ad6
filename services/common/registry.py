"""What the platform is made of, as its parts register themselves.

The kit knows no service by name. Each process type registers its nameko class under
the ``continuity.processes`` entry points and each producer its event module under
``continuity.events`` (pyproject.toml); a process class declares what the kit needs
to know of it (:class:`ProcessFacts`, as its ``facts``). Config, the runner, the
launcher and the topology read them here. No nameko here: loading a class is the
caller's choice.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.metadata import EntryPoint, entry_points
from types import ModuleType

PROCESSES = "continuity.processes"  # entry-point group: process type → nameko class
EVENTS = "continuity.events"  # entry-point group: producer → its events module


@dataclass(frozen=True)
class ProcessFacts:
    """A process type's facts, declared by its class: ``facts = ProcessFacts(...)``."""

    ops_port: int  # /metrics and /ready: compose and Kubernetes give it the same
    workers: int = 10  # nameko workers (greenlets) by default
    database_of: str | None = None  # another process type whose database it uses
    front: bool = False  # the HTTP front: ops on its HTTP port, started last, secrets
    web: bool = False  # an HTTP-side process: web server, token and webhook settings


def _group(group: str) -> dict[str, EntryPoint]:
    found = {ep.name: ep for ep in entry_points(group=group)}
    if not found:
        raise RuntimeError(
            f"nothing registered under the {group!r} entry points: install the "
            "project (`make install`, or `pip install -e .`) so its metadata lists "
            "them")
    return found


@cache
def registered() -> dict[str, EntryPoint]:
    """Every process type the platform is made of, by name (not loaded)."""
    return _group(PROCESSES)


def process_names() -> list[str]:
    return sorted(registered())


def process_class(name: str) -> type:
    """The nameko class of a registered process type (imports its module)."""
    return registered()[name].load()


@cache
def facts(name: str) -> ProcessFacts:
    """What process type ``name`` declares of itself (KeyError: not registered)."""
    return process_class(name).facts


@cache
def event_modules() -> tuple[ModuleType, ...]:
    """Every producer's events module, imported (each declares its event types)."""
    return tuple(ep.load() for _, ep in sorted(_group(EVENTS).items()))
