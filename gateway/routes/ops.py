"""Health, readiness and metrics of the gateway process."""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from werkzeug.wrappers import Response

from ..schemas import Status
from .base import RouteBase, api, json_response


class OpsRoutes(RouteBase):
    # -- ops ------------------------------------------------------------------------
    @api("GET", "/health", tags=("ops",), summary="The process is up",
         responses={200: Status})
    def health(self, request, principal):
        return json_response({"status": "ok"})

    @api("GET", "/ready", tags=("ops",), responses={200: Status},
         summary="Ready: the broker and the database answer")
    def ready(self, request, principal):
        ok, checks = self.metrics.readiness()
        return json_response({"status": "ready" if ok else "not ready", "checks": checks},
                             status=200 if ok else 503)

    @api("GET", "/metrics", tags=("ops",), summary="Prometheus metrics",
         responses={200: "Prometheus text format"})
    def prometheus(self, request, principal):
        return Response(generate_latest(), content_type=CONTENT_TYPE_LATEST)
