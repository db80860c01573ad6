"""Concurrent requests share one call: group commit for the RPCs of a hot path.

Learners post progress one record at a time; each record alone costs a broker round
trip, an RPC worker and a database commit in tracking. Under load, the records that
arrive while earlier ones are being recorded are sent together as the next batch:

- while fewer than ``lanes`` batches are in flight, a request sends at once (an idle
  platform adds no wait);
- otherwise it waits for a lane, and the first waiter to get one sends every record
  waiting by then (at most ``max_batch``), its own among them;
- each caller gets its own outcome back: a value, or its own error raised;
- a call the service refused as a whole (it raised: ``RemoteError``) may have been
  refused for one item's sake, so its batch is sent again in halves until that item
  fails alone; a call that timed out or could not be sent says nothing about its items
  (the service may be down) and fails every caller in it.

One combiner per gateway process (a dependency shared by all its workers); eventlet
runs one greenlet at a time, so the state needs no lock between yields.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from eventlet.event import Event
from eventlet.semaphore import Semaphore
from nameko.exceptions import RemoteError
from nameko.extensions import DependencyProvider
from prometheus_client import Histogram

BATCH_SIZE = Histogram(
    "continuity_gateway_batch_size", "Requests sent together in one combined call",
    ["call"], buckets=(1, 2, 4, 8, 16, 32, 64, 128),
)


class _Slot:
    __slots__ = ("item", "taken", "done")

    def __init__(self, item: Any):
        self.item = item
        self.taken = False
        self.done = Event()


class Combiner:
    def __init__(self, name: str, lanes: int = 2, max_batch: int = 64,
                 split_on: tuple[type[BaseException], ...] = (RemoteError,)):
        self.name = name
        self.max_batch = max_batch
        self.split_on = split_on
        self._lanes = Semaphore(lanes)
        self._waiting: list[_Slot] = []

    def submit(self, item: Any, send: Callable[[list], list]) -> Any:
        """This item's outcome; ``send(items)`` answers one outcome per item, in
        order, where an exception instance is that item's error."""
        slot = _Slot(item)
        self._waiting.append(slot)
        with self._lanes:
            if not slot.taken:  # nobody sent it while this request waited: send now
                self._send(slot, send)
        return slot.done.wait()

    def _send(self, own: _Slot, send: Callable[[list], list]) -> None:
        batch = [own] + [s for s in self._waiting if s is not own][: self.max_batch - 1]
        for slot in batch:
            slot.taken = True
        taken = set(map(id, batch))
        self._waiting = [s for s in self._waiting if id(s) not in taken]
        BATCH_SIZE.labels(self.name).observe(len(batch))
        self._settle(batch, send)

    def _settle(self, batch: list[_Slot], send: Callable[[list], list]) -> None:
        try:
            outcomes = send([slot.item for slot in batch])
            if len(outcomes) != len(batch):
                raise RuntimeError(f"{len(outcomes)} outcomes for {len(batch)} items")
        except Exception as exc:
            if len(batch) > 1 and isinstance(exc, self.split_on):
                half = len(batch) // 2  # one bad item costs about 2·log2(n) calls
                self._settle(batch[:half], send)
                self._settle(batch[half:], send)
                return
            for slot in batch:  # the whole call failed: every caller hears of it
                slot.done.send_exception(exc)
            return
        for slot, outcome in zip(batch, outcomes, strict=True):
            if isinstance(outcome, BaseException):
                slot.done.send_exception(outcome)
            else:
                slot.done.send(outcome)


class Combined(DependencyProvider):
    """``progress = Combined("progress")``: one Combiner shared by every worker.

    ``lanes`` names the setting of how many batches may be in flight at once
    (``GATEWAY_BATCH_LANES``, default 2); at most ``GATEWAY_BATCH_MAX`` (default 64)
    requests per batch.
    """

    def __init__(self, name: str, lanes: str = "GATEWAY_BATCH_LANES"):
        self.name = name
        self.lanes = lanes

    def setup(self) -> None:
        config = self.container.config
        self.combiner = Combiner(self.name, int(config.get(self.lanes, 2)),
                                 int(config.get("GATEWAY_BATCH_MAX", 64)))

    def get_dependency(self, worker_ctx) -> Combiner:
        return self.combiner
