"""Webhook rules without a broker: signatures, scopes, retries for 24 hours, disabling."""

from __future__ import annotations

import ipaddress
import json
from datetime import UTC, datetime, timedelta

import pytest
from prometheus_client import REGISTRY
from standardwebhooks import Webhook as Verifier

from gateway.models import Base, Delivery, Webhook
from gateway.partners import (
    deliveries,
    destinations,
    endpoints,
    errors,
    fanout,
    keys,
    metrics,
    scope,
    signing,
)
from tests.support.db import sessions_for

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
TYPES = {"licence.issued.v1", "licence.revoked.v1", "institution.activated.v1",
         "course.published.v1", "application.received.v1"}


@pytest.fixture
def sessions(db_url):
    return sessions_for(db_url, Base.metadata)


def envelope(event_type="licence.issued.v1", institution="inst-1", n=1) -> dict:
    return {"event_id": f"00000000-0000-4000-8000-{n:012d}", "event_type": event_type,
            "minor_version": 0, "occurred_at": T0.isoformat(), "producer": "licensing",
            "correlation_id": None, "data": {"institution_id": institution}}


def partner_with_hook(session, scope=("licence.*.v1",), institutions=None,
                      hook_types=("licence.issued.v1",)):
    created = keys.create_partner(session, name="P", contact_email="p@x.org",
                                  event_types=list(scope),
                                  institution_ids=institutions, now=T0)
    session.flush()
    hook = endpoints.create_webhook(session, created.partner, "https://p.example/h",
                                    list(hook_types), TYPES, T0)
    session.flush()
    return created, hook


def test_the_signature_is_what_the_reference_verifier_accepts():
    secret = signing.new_secret()
    body = json.dumps({"type": "licence.issued.v1", "data": {"é": 1}}).encode()
    stamp = int(datetime.now(UTC).timestamp())
    headers = {"webhook-id": "msg_1", "webhook-timestamp": str(stamp),
               "webhook-signature": signing.sign(secret, "msg_1", stamp, body)}
    assert Verifier(secret).verify(body, headers)["type"] == "licence.issued.v1"
    with pytest.raises(Exception):  # noqa: B017 - any verification failure
        Verifier(signing.new_secret()).verify(body, headers)


@pytest.mark.parametrize(("patterns", "event_type", "expected"), [
    (["#"], "licence.issued.v1", True),
    (["licence.*.v1"], "licence.issued.v1", True),
    (["licence.*.v1"], "seats.assigned.v1", False),
    (["licence.*"], "licence.issued.v1", False),
    (["licence.#"], "licence.issued.v1", True),
])
def test_topic_patterns(patterns, event_type, expected):
    assert scope.matches(patterns, event_type) is expected


def test_api_keys_are_stored_hashed_and_checked_whole(sessions):
    with sessions.begin() as session:
        created, _ = partner_with_hook(session)
        assert created.partner.key_hash != created.api_key
        assert created.api_key not in json.dumps(
            {c.name: str(getattr(created.partner, c.name))
             for c in created.partner.__table__.columns})
    with sessions.begin() as session:
        assert keys.authenticate(session, created.api_key).id == created.partner.id
        assert keys.authenticate(session, created.api_key[:-1] + "x") is None
        keys.revoke_partner(session, created.partner.id, T0)
    with sessions.begin() as session:
        assert keys.authenticate(session, created.api_key) is None


def test_an_endpoint_cannot_ask_beyond_its_key_or_for_unknown_events(sessions):
    with sessions.begin() as session:
        created, _ = partner_with_hook(session)
        for types in (["institution.activated.v1"], ["#"], ["no.such.v1"]):
            with pytest.raises(errors.Invalid):
                endpoints.create_webhook(session, created.partner,
                                         "https://p.example/h", types, TYPES, T0)
        with pytest.raises(errors.Invalid):
            endpoints.create_webhook(session, created.partner, "http://p.example/h",
                                     ["licence.issued.v1"], TYPES, T0)


def test_institution_scopes_filter_the_fan_out(sessions):
    with sessions.begin() as session:
        partner_with_hook(session, institutions=["inst-1"])
        record = fanout.record_event
        assert record(session, envelope(institution="inst-1", n=1), T0) == 1
        assert record(session, envelope(institution="inst-2", n=2), T0) == 0
        assert record(session, envelope(institution="inst-1", n=1), T0) == 0


def test_retries_back_off_then_give_up_after_24_hours(sessions):
    schedule = (5, 300, 1800, 7200, 18000, 36000)
    with sessions.begin() as session:
        partner_with_hook(session)
        fanout.record_event(session, envelope(), T0)
    now, waits = T0, []
    for _ in range(10):
        with sessions.begin() as session:
            due = deliveries.claim_due(session, now)
            if not due:
                break
            deliveries.record_attempt(session, due[0].delivery_id, 503, "down", now,
                                      schedule)
            delivery = session.get(Delivery, due[0].delivery_id)
            if delivery.next_attempt_at is None:
                break
            waits.append((delivery.next_attempt_at - now).total_seconds())
            now = delivery.next_attempt_at
    # exponential, then a last try when the 24 hours are up
    assert waits == [5, 300, 1800, 7200, 18000, 36000, 86400 - sum(schedule)]
    with sessions.begin() as session:
        delivery = session.query(Delivery).one()
        assert (delivery.status, delivery.attempts) == ("failed", 8)


def test_an_endpoint_failing_for_24_hours_is_disabled_and_reported(sessions):
    with sessions.begin() as session:
        _, hook = partner_with_hook(session)
        for n in range(3):
            fanout.record_event(session, envelope(n=n + 1), T0)
    with sessions.begin() as session:
        due = deliveries.claim_due(session, T0)
        attempt = deliveries.record_attempt
        assert attempt(session, due[0].delivery_id, 500, "x", T0) is None
        later = T0 + timedelta(hours=24, minutes=1)
        disabled = attempt(session, due[1].delivery_id, None, "timeout", later)
        assert disabled is not None and disabled.id == hook.id
    with sessions.begin() as session:
        assert session.get(Webhook, hook.id).status == "disabled"
        assert deliveries.claim_due(session, T0 + timedelta(days=2)) == []


def test_a_success_clears_the_failure_streak(sessions):
    with sessions.begin() as session:
        _, hook = partner_with_hook(session)
        fanout.record_event(session, envelope(n=1), T0)
        fanout.record_event(session, envelope(n=2), T0)
    with sessions.begin() as session:
        first, second = deliveries.claim_due(session, T0)
        deliveries.record_attempt(session, first.delivery_id, 500, "x", T0)
        deliveries.record_attempt(session, second.delivery_id, 200, None, T0)
        assert session.get(Webhook, hook.id).failing_since is None


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8080/h", "https://127.0.0.1/h", "https://2130706433/h",
    "https://0x7f000001/h", "https://[::1]/h", "https://[::ffff:127.0.0.1]/h",
    "https://10.0.0.5/h", "https://192.168.1.10/h", "https://169.254.169.254/latest",
    "https://metadata.google.internal/computeMetadata/v1/", "https://localhost:8443/h",
    "https://user:pw@p.example/h",
])
def test_an_endpoint_inside_our_network_is_refused(sessions, url):
    with sessions.begin() as session:
        created, _ = partner_with_hook(session)
        with pytest.raises(errors.Invalid) as refused:
            endpoints.create_webhook(session, created.partner, url,
                                     ["licence.issued.v1"], TYPES, T0)
        assert list(refused.value.errors) == ["url"]


def test_a_name_resolving_inside_is_refused_and_one_allowed_network_opens(sessions):
    def rebound(host, port):
        return [ipaddress.ip_address("127.0.0.1")]

    with sessions.begin() as session:
        created, _ = partner_with_hook(session)
        with pytest.raises(errors.Invalid, match="127.0.0.1"):
            endpoints.create_webhook(session, created.partner,
                                     "https://hooks.example/h", ["licence.issued.v1"],
                                     TYPES, T0, resolver=rebound)
        allowed = destinations.parse_networks("127.0.0.1/32")
        endpoints.create_webhook(session, created.partner, "http://127.0.0.1:9/h",
                                 ["licence.issued.v1"], TYPES, T0, allowed)


def test_a_refused_delivery_fails_at_once_and_is_not_retried(sessions):
    with sessions.begin() as session:
        _, hook = partner_with_hook(session)
        fanout.record_event(session, envelope(), T0)
    with sessions.begin() as session:
        (due,) = deliveries.claim_due(session, T0)
        deliveries.record_attempt(session, due.delivery_id, None,
                                  "refused: 10.0.0.1 is not on the public internet "
                                  "(private)", T0, final=True)
    with sessions.begin() as session:
        delivery = session.get(Delivery, due.delivery_id)
        assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (
            "failed", 1, None)
        assert delivery.last_error.startswith("refused:")
        assert deliveries.claim_due(session, T0 + timedelta(days=1)) == []


def test_a_scoped_partner_replays_only_what_its_institutions_would_receive(sessions):
    """Live fan-out and replay give the same events: its institution's, no other's,
    and nothing of no institution but the public catalogue."""
    types = ("licence.issued.v1", "institution.activated.v1", "application.received.v1",
             "course.published.v1")
    with sessions.begin() as session:
        _, hook = partner_with_hook(session, scope=("#",), institutions=["inst-1"],
                                    hook_types=types)
        live = [
            fanout.record_event(session, envelope(institution="inst-1", n=1), T0),
            fanout.record_event(session, envelope(institution="inst-2", n=2), T0),
            fanout.record_event(session, envelope("institution.activated.v1",
                                                  institution="inst-2", n=3), T0),
            fanout.record_event(session, envelope("application.received.v1",
                                                  institution=None, n=4), T0),
            fanout.record_event(session, envelope("course.published.v1",
                                                  institution=None, n=5), T0),
        ]
        assert live == [1, 0, 0, 0, 1]
    with sessions.begin() as session:
        assert fanout.replay(session, session.get(Webhook, hook.id), T0, T0) == 2
        replayed = session.query(Delivery).filter(Delivery.replay == 1).all()
        assert sorted(d.event_id[-1] for d in replayed) == ["1", "5"]


def sample(name, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_each_outcome_moves_its_counter_and_a_success_its_lag(sessions):
    before = {o: sample("continuity_webhook_deliveries_total", outcome=o)
              for o in metrics.OUTCOMES}
    attempts = sample("continuity_webhook_attempts_total")
    disabled = sample("continuity_webhook_endpoints_disabled_total")
    lags = sample("continuity_webhook_delivery_lag_seconds_count")
    lag_sum = sample("continuity_webhook_delivery_lag_seconds_sum")
    with sessions.begin() as session:
        partner_with_hook(session)
        for n in range(4):
            fanout.record_event(session, envelope(n=n + 1), T0)
    with sessions.begin() as session:
        assert deliveries.count_due(session, T0) == 4
        first, second, third, fourth = deliveries.claim_due(session, T0)
        assert deliveries.count_due(session, T0) == 0  # leased
        attempt = deliveries.record_attempt
        attempt(session, first.delivery_id, 200, None, T0 + timedelta(seconds=3))
        attempt(session, second.delivery_id, 503, "down", T0)
        attempt(session, third.delivery_id, None, "refused: private", T0, final=True)
        later = T0 + timedelta(hours=24, minutes=1)
        attempt(session, fourth.delivery_id, None, "timeout", later)
    moved = {o: sample("continuity_webhook_deliveries_total", outcome=o) - before[o]
             for o in metrics.OUTCOMES}
    assert moved == {"delivered": 1, "retried": 1, "refused": 1, "failed": 1}
    assert sample("continuity_webhook_attempts_total") - attempts == 4
    assert sample("continuity_webhook_endpoints_disabled_total") - disabled == 1
    assert sample("continuity_webhook_delivery_lag_seconds_count") - lags == 1
    assert sample("continuity_webhook_delivery_lag_seconds_sum") - lag_sum == 3
