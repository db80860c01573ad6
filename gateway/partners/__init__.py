"""Partners and webhooks: the gateway's bounded context for partner systems.

Plain modules (no nameko): ``keys`` (partners and their API keys), ``endpoints``
(webhook endpoints their owners manage), ``scope`` (what a partner receives: the one
rule), ``fanout`` (the event log and the deliveries it queues, live or replayed),
``deliveries`` (claiming, retrying, the delivery log), ``signing`` (Standard Webhooks
signatures), ``destinations`` (where a webhook may go), ``sending`` (one delivery over
HTTP), ``bindings`` (the partner-events queue's bindings), ``metrics``
(Prometheus counters of deliveries), ``errors``.
The nameko side: ``interest`` (a DependencyProvider) and ``service`` (the ``webhooks``
process type). The tables are the gateway's (``gateway/models.py``).
"""
