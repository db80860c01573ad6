"""Requests that arrive together share one call; each caller gets its own outcome."""

from __future__ import annotations

import eventlet
from eventlet.event import Event

from gateway.combiner import Combiner


class Refused(Exception):
    pass


class Backend:
    """Answers ``item * 10``; items that are negative are refused one by one.

    ``hold`` keeps a call open until released, so that others pile up behind it.
    """

    def __init__(self):
        self.calls: list[list] = []
        self.hold: Event | None = None
        self.fail_whole_call = False

    def send(self, items: list) -> list:
        self.calls.append(list(items))
        if self.hold is not None:
            self.hold.wait()
        if self.fail_whole_call:
            raise TimeoutError("the service did not answer")
        return [Refused(i) if i < 0 else i * 10 for i in items]


def submit_all(combiner: Combiner, backend: Backend, items: list) -> list:
    """Submit concurrently; each thread's outcome (value or exception)."""
    def one(item):
        try:
            return combiner.submit(item, backend.send)
        except Exception as exc:  # noqa: BLE001 - the outcome under test
            return exc

    threads = [eventlet.spawn(one, item) for item in items]
    eventlet.sleep(0)  # every request is waiting or sending
    return threads


def test_an_idle_combiner_sends_a_request_at_once_alone():
    backend = Backend()
    assert Combiner("t").submit(4, backend.send) == 40
    assert backend.calls == [[4]]


def test_requests_arriving_while_lanes_are_busy_go_together_each_with_its_answer():
    backend, combiner = Backend(), Combiner("t", lanes=1, max_batch=64)
    backend.hold = Event()
    first = submit_all(combiner, backend, [1])
    rest = submit_all(combiner, backend, [2, -3, 4, 5])
    assert backend.calls == [[1]]  # the lane is busy: the others wait

    backend.hold.send()
    outcomes = [t.wait() for t in first + rest]

    assert backend.calls == [[1], [2, -3, 4, 5]]
    assert outcomes[:2] == [10, 20] and outcomes[3:] == [40, 50]
    assert isinstance(outcomes[2], Refused)  # refused alone: its neighbours are not


def test_batches_stay_within_their_maximum_and_nobody_is_forgotten():
    backend, combiner = Backend(), Combiner("t", lanes=1, max_batch=3)
    backend.hold = Event()
    threads = submit_all(combiner, backend, list(range(1, 9)))
    backend.hold.send()

    assert [t.wait() for t in threads] == [n * 10 for n in range(1, 9)]
    assert max(len(call) for call in backend.calls) <= 3
    assert sorted(i for call in backend.calls for i in call) == list(range(1, 9))


def test_two_lanes_send_two_batches_at_once():
    backend, combiner = Backend(), Combiner("t", lanes=2)
    backend.hold = Event()
    threads = submit_all(combiner, backend, [1, 2, 3])
    assert backend.calls == [[1], [2]]  # two in flight; the third waits
    backend.hold.send()
    assert [t.wait() for t in threads] == [10, 20, 30]


def test_a_call_that_fails_fails_every_request_in_it_and_no_other():
    backend, combiner = Backend(), Combiner("t", lanes=1)
    backend.hold = Event()
    backend.fail_whole_call = True
    threads = submit_all(combiner, backend, [1, 2, 3])
    backend.hold.send()
    outcomes = [t.wait() for t in threads]
    assert all(isinstance(o, TimeoutError) for o in outcomes)

    backend.fail_whole_call, backend.hold = False, None
    assert combiner.submit(7, backend.send) == 70  # the next call is not affected


def test_a_backend_answering_the_wrong_number_of_outcomes_fails_the_call():
    combiner = Combiner("t", lanes=1)
    gate = Event()

    def short(items):
        gate.wait()
        return [items[0] * 10]  # one outcome whatever the batch

    def one(item):
        try:
            return combiner.submit(item, short)
        except RuntimeError as exc:
            return exc

    threads = [eventlet.spawn(one, item) for item in (1, 2, 3)]
    eventlet.sleep(0)
    gate.send()
    outcomes = [t.wait() for t in threads]
    assert outcomes[0] == 10  # sent alone
    assert [str(o) for o in outcomes[1:]] == ["1 outcomes for 2 items"] * 2


def test_a_call_the_service_refused_for_one_item_fails_that_item_alone():
    """The service raised for the whole call (an item it could not take): the batch
    goes again in halves, and only the item that makes it raise fails."""
    from nameko.exceptions import RemoteError

    backend, combiner = Backend(), Combiner("t", lanes=1, max_batch=64)
    send = backend.send

    def refuse_poison(items):
        if 13 in items:
            backend.calls.append(list(items))
            raise RemoteError("ValueError", "cannot take item 13")
        return send(items)

    backend.send = refuse_poison
    backend.hold = Event()
    first = submit_all(combiner, backend, [1])
    rest = submit_all(combiner, backend, [2, 3, 13, 5, -6, 7, 8])
    backend.hold.send()
    outcomes = [t.wait() for t in first + rest]

    assert isinstance(outcomes[3], RemoteError)
    assert isinstance(outcomes[5], Refused)  # refused by the service, as before
    assert [o for n, o in enumerate(outcomes) if n not in (3, 5)] == [
        10, 20, 30, 50, 70, 80]
    assert len(backend.calls) <= 2 + 2 * 3  # halves, not one call per item


def in_order(combiner: Combiner, send, events: list):
    """A caller submitting through ``send``; ``events`` hears of each call sent and
    each caller answered, in the order they happen."""
    def logged(items):
        events.append(("sent", list(items)))
        return send(items)

    def one(item):
        outcome = combiner.submit(item, logged)
        events.append(("answered", item))
        return outcome

    return one


def test_the_next_batch_goes_out_before_this_batch_s_callers_are_answered():
    """The service is not left idle while the gateway writes a batch's answers."""
    backend, combiner = Backend(), Combiner("t", lanes=1)
    backend.hold = Event()
    events = []
    one = in_order(combiner, backend.send, events)
    first = [eventlet.spawn(one, 1)]
    eventlet.sleep(0)
    rest = [eventlet.spawn(one, item) for item in (2, 3)]
    eventlet.sleep(0)
    backend.hold.send()
    assert [t.wait() for t in first + rest] == [10, 20, 30]
    assert events[:2] == [("sent", [1]), ("sent", [2, 3])]
    assert sorted(events[2:]) == [("answered", 1), ("answered", 2), ("answered", 3)]


def test_a_request_killed_while_it_waits_is_never_sent_and_loses_no_lane():
    backend, combiner = Backend(), Combiner("t", lanes=1)
    backend.hold = Event()
    first = submit_all(combiner, backend, [1])
    doomed = submit_all(combiner, backend, [2])
    doomed[0].kill()  # its process stops: the request is gone
    rest = submit_all(combiner, backend, [3])
    backend.hold.send()
    assert [t.wait() for t in first + rest] == [10, 30]
    assert backend.calls == [[1], [3]]
    assert combiner.submit(4, backend.send) == 40  # the lane is free again


def test_requests_sent_by_another_never_queue_for_the_lane():
    """Three generations: the callers of the second call are answered after the
    third call went out, not one lane's turn each before it."""
    combiner, events, holds = Combiner("t", lanes=1), [], []

    def held(items):
        holds.append(Event())
        holds[-1].wait()
        return [i * 10 for i in items]

    one = in_order(combiner, held, events)
    threads = [eventlet.spawn(one, 1)]
    eventlet.sleep(0)
    threads += [eventlet.spawn(one, item) for item in (2, 3, 4)]
    eventlet.sleep(0)
    holds[0].send()  # the first call ends: 2, 3 and 4 go together
    eventlet.sleep(0)
    threads += [eventlet.spawn(one, item) for item in (5, 6)]
    eventlet.sleep(0)
    holds[1].send()  # the second ends: 5 and 6 go before 2, 3, 4 hear back
    for _ in range(5):
        eventlet.sleep(0)
    holds[2].send()
    assert [t.wait() for t in threads] == [10, 20, 30, 40, 50, 60]
    sent = [e for e in events if e[0] == "sent"]
    assert sent == [("sent", [1]), ("sent", [2, 3, 4]), ("sent", [5, 6])]
    third = events.index(("sent", [5, 6]))
    assert all(events.index(("answered", n)) > third for n in (2, 3, 4))
