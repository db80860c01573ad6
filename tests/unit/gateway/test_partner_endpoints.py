"""What the partner routes call: each partner reaches only its own endpoints."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from gateway.models import Base
from gateway.partners import deliveries, endpoints, keys
from gateway.partners.errors import NotFound
from tests.support.db import sessions_for

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
TYPES = {"licence.issued.v1", "licence.revoked.v1", "skill.acquired.v1"}


@pytest.fixture
def sessions(db_url):
    return sessions_for(db_url, Base.metadata)


def partner(session, scope=("licence.*.v1",)) -> str:
    created = keys.create_partner(session, name="P", contact_email="P@x.org",
                                  event_types=list(scope), institution_ids=None, now=T0)
    session.flush()
    return created.partner.id


def test_another_partners_endpoint_is_not_found_whatever_is_asked(sessions):
    with sessions.begin() as session:
        owner, stranger = partner(session), partner(session)
        hook = endpoints.register_webhook(session, owner, "https://p.example/h",
                                          ["licence.issued.v1"], TYPES, T0)
        session.flush()
        assert [w.id for w in endpoints.list_webhooks(session, owner)] == [hook.id]
        assert endpoints.list_webhooks(session, stranger) == []
        for call in (
            lambda: endpoints.delete_webhook(session, stranger, hook.id, T0),
            lambda: endpoints.rotate_webhook_secret(session, stranger, hook.id, T0),
            lambda: endpoints.enable_webhook(session, stranger, hook.id),
            lambda: deliveries.own_deliveries(session, stranger, hook.id, 10, None),
        ):
            with pytest.raises(NotFound):
                call()
        assert hook.status == "active"


def test_rotation_keeps_the_old_secret_and_a_deleted_endpoint_stays_deleted(sessions):
    with sessions.begin() as session:
        owner = partner(session)
        hook = endpoints.register_webhook(session, owner, "https://p.example/h",
                                          ["licence.issued.v1"], TYPES, T0)
        session.flush()
        first = hook.secret
        endpoints.rotate_webhook_secret(session, owner, hook.id, T0)
        assert hook.previous_secret == first and hook.secret != first
        assert hook.previous_secret_until == T0 + timedelta(hours=24)
        endpoints.delete_webhook(session, owner, hook.id, T0)
        with pytest.raises(NotFound):
            endpoints.enable_webhook(session, owner, hook.id)
        assert hook.status == "deleted"


def test_a_revocation_says_which_patterns_the_other_keys_still_use(sessions):
    with sessions.begin() as session:
        leaving = partner(session, ("licence.*.v1", "skill.#"))
        partner(session, ("skill.#",))
        revoked = keys.revoke(session, leaving, T0)
        assert revoked.patterns == ("licence.*.v1", "skill.#")
        assert revoked.still_wanted == ("skill.#",)
        with pytest.raises(NotFound):
            keys.revoke(session, "no-such-partner", T0)
