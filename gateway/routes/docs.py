"""The documents: OpenAPI for HTTP, AsyncAPI for events, and a page to browse them."""

from __future__ import annotations

from importlib import resources

from werkzeug.wrappers import Response

from .. import asyncapi, openapi
from .base import RouteBase, api, json_response


class DocsRoutes(RouteBase):
    @api("GET", "/api/openapi.json", tags=("documents",), summary="This API, as OpenAPI 3")
    def openapi_document(self, request, principal):
        return json_response(openapi.build(type(self), self.config["PUBLIC_URL"]))

    @api("GET", "/api/asyncapi.json", tags=("documents",),
         summary="Every event the platform emits, as AsyncAPI 2.6")
    def asyncapi_document(self, request, principal):
        return json_response(asyncapi.build(self.config["AMQP_PUBLIC_URI"]))

    @api("GET", "/api/docs", tags=("documents",), summary="Browse the API and the events",
         responses={200: "An HTML page"})
    def docs_page(self, request, principal):
        page = resources.files("gateway").joinpath("static/docs.html").read_text("utf-8")
        return Response(page, content_type="text/html; charset=utf-8")
