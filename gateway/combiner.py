"""Concurrent requests share one call: group commit for the RPCs of a hot path.

Learners post progress one record at a time; each record alone costs a broker round
trip, an RPC worker and a database commit in tracking. Under load, the records that
arrive while earlier ones are being recorded are sent together as the next batch:

- while fewer than ``lanes`` batches are in flight, a request sends at once (an idle
  platform adds no wait);
- otherwise it waits; when a call ends, its lane goes to the first request still
  waiting, which sends every request waiting by then (at most ``max_batch``), its
  own among them;
- the lane goes to the next batch before this call's callers are answered, and a
  request sent by another never queues for a lane: the service works on the next
  batch while this one's answers are written, rather than sit idle for a dozen
  answers' worth of the gateway's time (decision 0067);
- each caller gets its own outcome back: a value, or its own error raised;
- a call the service refused as a whole (it raised: ``RemoteError``) may have been
  refused for one item's sake, so its batch is sent again in halves until that item
  fails alone; a call that timed out or could not be sent says nothing about its items
  (the service may be down) and fails every caller in it.

One combiner per gateway process (a dependency shared by all its workers); eventlet
runs one greenlet at a time, so the state needs no lock between yields.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import Any

import eventlet
from eventlet.event import Event
from nameko.exceptions import RemoteError
from nameko.extensions import DependencyProvider
from prometheus_client import Histogram

BATCH_SIZE = Histogram(
    "continuity_gateway_batch_size", "Requests sent together in one combined call",
    ["call"], buckets=(1, 2, 4, 8, 16, 32, 64, 128),
)


class _Lead:
    """What a waiting request is woken with when the lane is its to send."""


LEAD = _Lead()
WAITING, LEADING, TAKEN = "waiting", "leading", "taken"


class _Slot:
    __slots__ = ("item", "state", "done")

    def __init__(self, item: Any):
        self.item = item
        self.state = WAITING
        self.done = Event()  # LEAD, or this item's outcome


class Combiner:
    def __init__(self, name: str, lanes: int = 2, max_batch: int = 64,
                 split_on: tuple[type[BaseException], ...] = (RemoteError,)):
        self.name = name
        self.max_batch = max_batch
        self.split_on = split_on
        self._free = lanes  # lanes with no call in flight
        self._waiting: deque[_Slot] = deque()  # in the order they came

    def submit(self, item: Any, send: Callable[[list], list]) -> Any:
        """This item's outcome; ``send(items)`` answers one outcome per item, in
        order, where an exception instance is that item's error."""
        slot = _Slot(item)
        self._waiting.append(slot)
        if self._free:
            self._free -= 1
            slot.state = LEADING
            return self._lead(slot, send)
        try:
            outcome = slot.done.wait()  # sent by another (raises its error), or ours
        except BaseException:
            self._abandon(slot)
            raise
        if outcome is LEAD:
            return self._lead(slot, send)
        return outcome

    def _lead(self, own: _Slot, send: Callable[[list], list]) -> Any:
        """Send ``own`` and every request waiting now; pass the lane on; answer."""
        batch = [own] + [s for s in self._waiting if s.state == WAITING][
            : self.max_batch - 1]
        for slot in batch:
            slot.state = TAKEN
        self._waiting = deque(s for s in self._waiting if s.state != TAKEN)
        BATCH_SIZE.labels(self.name).observe(len(batch))
        try:
            settled = self._settle(batch, send)
        except BaseException as exc:  # killed mid-call: nobody is left waiting
            settled = [(slot, exc) for slot in batch]
        if self._pass_lane():
            eventlet.sleep(0)  # the next batch goes out before these are answered
        outcome = None
        for slot, result in settled:
            if slot is own:
                outcome = result
            elif isinstance(result, BaseException):
                slot.done.send_exception(result)
            else:
                slot.done.send(result)
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    def _abandon(self, slot: _Slot) -> None:
        """A waiting request killed (its process stopping): never sent now, and a
        lane it was given goes to the next."""
        if slot.state != TAKEN:
            self._waiting.remove(slot)
            if slot.state == LEADING:
                self._pass_lane()
            slot.state = TAKEN

    def _pass_lane(self) -> bool:
        """The lane to the first request still waiting (True), or free again."""
        for slot in self._waiting:
            if slot.state == WAITING:
                slot.state = LEADING
                slot.done.send(LEAD)
                return True
        self._free += 1
        return False

    def _settle(self, batch: list[_Slot], send: Callable[[list], list]) -> list[tuple]:
        """Each slot of the batch with its outcome (a value or an exception)."""
        try:
            outcomes = send([slot.item for slot in batch])
            if len(outcomes) != len(batch):
                raise RuntimeError(f"{len(outcomes)} outcomes for {len(batch)} items")
        except Exception as exc:
            if len(batch) > 1 and isinstance(exc, self.split_on):
                half = len(batch) // 2  # one bad item costs about 2·log2(n) calls
                return self._settle(batch[:half], send) + \
                    self._settle(batch[half:], send)
            return [(slot, exc) for slot in batch]  # every caller hears of it
        return list(zip(batch, outcomes, strict=True))


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
