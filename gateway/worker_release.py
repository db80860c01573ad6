"""Let a finished worker go at once, not at the next full garbage collection.

A nameko worker context holds the service instance, and the dependencies injected into
that instance (the RPC proxies, the bound outbox) hold the worker context: every
request leaves a reference cycle of some thirty objects (the instance, its proxies,
the werkzeug request, ...). Under load these cycles outlive the young generations
and are freed by full collections, whose pauses set the gateway's slowest answers.
Dropping the context's reference to the instance when the worker is torn down breaks
the cycle: reference counting frees it on the spot (figures in decision 0010).

The instance itself is left whole: a streamed response (the CSV export) still uses its
dependencies after its worker ended. No other provider reads ``worker_ctx.service``
in ``worker_teardown`` (nameko calls them in no set order).
"""

from __future__ import annotations

from nameko.extensions import DependencyProvider


class ReleaseWorker(DependencyProvider):
    def worker_teardown(self, worker_ctx) -> None:
        worker_ctx.service = None
