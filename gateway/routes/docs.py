"""The documents: OpenAPI for HTTP, AsyncAPI for events, and a page to browse them."""

from __future__ import annotations

from functools import cache
from importlib import resources

from swagger_ui_bundle import swagger_ui_path
from werkzeug.wrappers import Response

from .. import asyncapi, openapi
from ..event_docs import events_page
from .base import Answer, ApiError, RouteBase, api, json_response

HTML = Answer("An HTML page", "text/html")
DOCUMENT = Answer("The document", "application/json", {"type": "object"})

# what /api/docs/<asset> serves: Swagger UI's files from its pinned package, ours
# beside them; nothing else on disk is reachable
ASSETS = {
    "swagger-ui-bundle.js": (swagger_ui_path, "text/javascript; charset=utf-8"),
    "swagger-ui.css": (swagger_ui_path, "text/css; charset=utf-8"),
    "docs.js": (resources.files("gateway") / "static", "text/javascript; charset=utf-8"),
    "docs.css": (resources.files("gateway") / "static", "text/css; charset=utf-8"),
}


class DocsRoutes(RouteBase):
    @api("GET", "/api/openapi.json", tags=("documents",), local=True,
         summary="This API, as OpenAPI 3", responses={200: DOCUMENT})
    def openapi_document(self, request, principal):
        return json_response(openapi.build(type(self), self.config["PUBLIC_URL"]))

    @api("GET", "/api/asyncapi.json", tags=("documents",), responses={200: DOCUMENT},
         summary="Every event the platform emits, as AsyncAPI 2.6", local=True)
    def asyncapi_document(self, request, principal):
        return json_response(asyncapi.build(self.config["AMQP_PUBLIC_URI"]))

    @api("GET", "/api/docs", tags=("documents",), responses={200: HTML}, local=True,
         summary="Browse and try the HTTP API (Swagger UI; Authorize takes a token)")
    def docs_page(self, request, principal):
        page = resources.files("gateway").joinpath("static/docs.html").read_text("utf-8")
        return Response(page, content_type="text/html; charset=utf-8")

    @api("GET", "/api/docs/events", tags=("documents",), responses={200: HTML},
         local=True,
         summary="Every event: exchange, routing key, when it fires, its data fields")
    def events_page(self, request, principal):
        page = events_page(asyncapi.build(self.config["AMQP_PUBLIC_URI"]))
        return Response(page, content_type="text/html; charset=utf-8")

    @api("GET", "/api/docs/<asset>", tags=("documents",),
         responses={200: Answer("A script or a style sheet of the documents' pages",
                                ("text/javascript", "text/css"))},
         errors={404: "No such file"}, local=True,
         summary="The documents' pages' scripts and style sheets")
    def docs_asset(self, request, principal, asset):
        if asset not in ASSETS:
            raise ApiError(404, "not-found", "no such resource")
        response = Response(asset_bytes(asset), content_type=ASSETS[asset][1])
        response.headers["Cache-Control"] = "public, max-age=86400"
        return response


@cache
def asset_bytes(name: str) -> bytes:
    folder, _ = ASSETS[name]
    return (folder / name).read_bytes()
