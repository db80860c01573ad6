"""Only events some partner key may receive reach the webhooks worker's queue."""

from __future__ import annotations

import time

from kombu import Connection

from gateway.partners import bindings as partner_bindings
from services.onboarding.contracts.events import LEARNERS_REMOVED_V1
from services.tracking.contracts.events import SKILL_ACQUIRED_V1
from tests.support.broker import publish_event

SKILL = {"learner_id": "l-1", "skill_id": "fr.reading", "institution_id": "i-1",
         "course_id": "c-1", "acquired_at": "2026-12-02T09:00:00+00:00"}
REMOVED = {"institution_id": "i-1", "learner_ids": ["l-1"],
           "removed_at": "2026-12-02T09:00:00+00:00"}


def waiting(uri: str) -> int:
    """Messages in the partner-events queue, once the broker has routed them."""
    time.sleep(0.3)
    with Connection(uri) as connection:
        return partner_bindings.PARTNER_EVENTS(connection.channel()).queue_declare(
            passive=True).message_count


def drain(uri: str) -> None:
    with Connection(uri) as connection:
        partner_bindings.PARTNER_EVENTS(connection.channel()).purge()


def test_the_queue_receives_what_partners_want_and_nothing_else(rabbit_config):
    uri = rabbit_config["AMQP_URI"]
    partner_bindings.sync(uri, [])  # no partner yet
    publish_event(uri, SKILL_ACQUIRED_V1, SKILL)
    publish_event(uri, LEARNERS_REMOVED_V1, REMOVED)
    assert waiting(uri) == 0

    partner_bindings.sync(uri, ["skill.#"])  # a partner for skills
    publish_event(uri, SKILL_ACQUIRED_V1, SKILL)
    publish_event(uri, LEARNERS_REMOVED_V1, REMOVED)
    assert waiting(uri) == 1
    drain(uri)

    # a second partner wants everything; then it is revoked: skills still flow
    partner_bindings.sync(uri, ["skill.#", "#"])
    publish_event(uri, LEARNERS_REMOVED_V1, REMOVED)
    assert waiting(uri) == 1
    drain(uri)
    partner_bindings.sync(uri, ["skill.#"], unwanted=["#"])
    publish_event(uri, LEARNERS_REMOVED_V1, REMOVED)
    publish_event(uri, SKILL_ACQUIRED_V1, SKILL)
    assert waiting(uri) == 1


def test_the_catch_all_binding_of_older_versions_goes_unless_a_partner_wants_it(
        rabbit_config):
    uri = rabbit_config["AMQP_URI"]
    partner_bindings.sync(uri, ["#"])  # what older versions bound
    partner_bindings.sync(uri, [], unwanted=[partner_bindings.CATCH_ALL])
    publish_event(uri, SKILL_ACQUIRED_V1, SKILL)
    assert waiting(uri) == 0
