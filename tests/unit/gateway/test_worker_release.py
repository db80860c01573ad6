"""A finished worker is freed by reference counting, not left for the cyclic GC."""

from __future__ import annotations

import gc
import weakref

from nameko.extensions import DependencyProvider
from nameko.testing.services import dummy, entrypoint_hook

from gateway.worker_release import ReleaseWorker


class BoundToWorker:
    """What an RPC proxy or the bound outbox is: it keeps its worker context."""

    def __init__(self, worker_ctx):
        self.worker_ctx = worker_ctx


class WorkerBound(DependencyProvider):
    def get_dependency(self, worker_ctx):
        return BoundToWorker(worker_ctx)


instances: list[weakref.ref] = []


class Plain:
    name = "plain"

    bound = WorkerBound()

    @dummy
    def work(self):
        instances.append(weakref.ref(self))
        return self.bound.worker_ctx.call_id


class Released(Plain):
    name = "released"

    release = ReleaseWorker()


def run_once(container_factory, service_cls) -> weakref.ref:
    container = container_factory(service_cls, {})
    container.start()
    instances.clear()
    gc.disable()
    try:
        with entrypoint_hook(container, "work") as work:
            assert work()
        return instances[0]
    finally:
        gc.enable()


def test_without_it_the_worker_waits_for_the_garbage_collector(container_factory):
    instance = run_once(container_factory, Plain)

    assert instance() is not None  # a cycle: alive until a collection
    gc.collect()
    assert instance() is None


def test_with_it_the_worker_is_freed_on_teardown(container_factory):
    instance = run_once(container_factory, Released)

    assert instance() is None  # no collection needed
