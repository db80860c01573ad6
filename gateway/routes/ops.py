"""Health, readiness and metrics of the gateway process."""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from werkzeug.wrappers import Response

from ..schemas import Status
from .base import Answer, RouteBase, api, json_response


class OpsRoutes(RouteBase):
    # -- ops ------------------------------------------------------------------------
    @api("GET", "/health", tags=("ops",), summary="The process is up",
         responses={200: Status}, local=True)
    def health(self, request, principal):
        return json_response({"status": "ok"})

    @api("GET", "/ready", tags=("ops",), local=True, responses={
        200: Status, 503: Answer("Not ready: `checks` says what is away",
                                 "application/json", Status)},
         summary="Ready: the broker and the database answer")
    def ready(self, request, principal):
        ok, checks = self.metrics.readiness()
        return json_response({"status": "ready" if ok else "not ready", "checks": checks},
                             status=200 if ok else 503)

    @api("GET", "/metrics", tags=("ops",), summary="Prometheus metrics",
         responses={200: Answer("Prometheus text format", "text/plain")}, local=True)
    def prometheus(self, request, principal):
        return Response(generate_latest(), content_type=CONTENT_TYPE_LATEST)
