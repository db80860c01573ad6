"""What ``continuity-rebuild`` replays, and to whom: without a broker."""

from __future__ import annotations

import pytest

from services.common import rebuild


def test_a_consumer_is_sent_the_events_of_its_own_handlers_only():
    handlers = rebuild.handlers_of("tracking")
    # the lrs's statements too (decision 0059): credited once again, by their ids
    assert {h.producer for h in handlers} == {"catalog", "onboarding", "licensing",
                                              "lrs"}
    assert all(h.service == "tracking" for h in handlers)
    queues = {h.queue.name for h in handlers}
    assert "evt-licensing-licence.issued.v1--tracking.on_licensing_licence_issued" in (
        queues)
    # onboarding hears licence.issued.v1 too: its queue is not among them
    assert not any("--onboarding." in name for name in queues)
    # the lrs's events of this release and of the release before (decision 0064):
    # the outbox keeps the latter for OUTBOX_KEEP_DAYS after an upgrade
    assert {h.event_type for h in handlers if h.producer == "lrs"} == {
        "statements.stored.v1", "statement.stored.v1"}
    assert {h.producer for h in rebuild.handlers_of("tracking", ["catalog"])} == {
        "catalog"}


def test_a_producer_the_consumer_does_not_hear_is_refused_by_name(capsys):
    with pytest.raises(LookupError, match="tracking has no handler of the events of "
                                          "gateway"):
        rebuild.handlers_of("tracking", ["gateway"])
    assert rebuild.main(["tracking", "--from", "gateway"]) == 2
    assert "continuity-rebuild: tracking has no handler" in capsys.readouterr().err


def test_each_producer_names_its_outbox_table():
    for producer in ("catalog", "onboarding", "licensing", "tracking"):
        assert rebuild.outbox_of(producer).name == "outbox"
