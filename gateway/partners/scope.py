"""What a partner may receive: topic patterns, and the one rule for an endpoint."""

from __future__ import annotations

import re

from ..models import Partner, Webhook


def matches(patterns: list[str], event_type: str) -> bool:
    """AMQP topic patterns: ``*`` one word, ``#`` any number of words."""
    for pattern in patterns:
        regex = re.escape(pattern).replace(r"\#", ".*").replace(r"\*", "[^.]+")
        if re.match(f"^{regex}$", event_type):
            return True
    return False


def receives(webhook: Webhook, partner: Partner, event_type: str,
             institution_id: str | None) -> bool:
    """Whether an endpoint gets an event: the one rule for live fan-out and replays.

    A partner scoped to institutions sees their events and the public catalogue
    (``course.*`` events of no institution), nothing else: not another institution's,
    nor those of no institution yet (an application received).
    """
    if not (matches(webhook.event_types, event_type)
            and matches(partner.event_types, event_type)):
        return False
    if partner.institution_ids is None:
        return True
    if institution_id is None:
        return event_type.startswith("course.")
    return institution_id in partner.institution_ids
