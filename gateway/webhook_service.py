"""The gateway's second process type: partner fan-out and webhook deliveries.

It shares the gateway's database (it owns the same data: partners, webhooks,
deliveries) but runs apart from the HTTP process, so recording every event and
calling partners' endpoints never takes CPU from requests. Scale it on its own.
"""

from __future__ import annotations

from nameko.dependency_providers import Config

from services.common.clock import Clock
from services.common.database import Database
from services.common.observability import EntrypointMetrics
from services.common.registry import ProcessFacts
from services.common.relay import Outbox

from .deliveries import PartnerInterest, WebhookDelivery
from .models import Base, outbox_table


class WebhooksService(WebhookDelivery):
    name = "webhooks"
    facts = ProcessFacts(ops_port=9105, database_of="gateway", web=True)

    db = Database(Base.metadata)
    outbox = Outbox(outbox_table)
    metrics = EntrypointMetrics()
    clock = Clock()
    config = Config()
    partner_interest = PartnerInterest()
