"""The xAPI 1.0.3 resources under ``/xapi/`` (decisions 0051, 0052): checked here,
stored and read by the lrs service, one RPC per request.

Every answer carries ``X-Experience-API-Version``; every request but ``/xapi/about``
must send it. Credentials are HTTP Basic (an operator's client) or the platform's
bearer token (a learner). Any refusal is a problem+json whose ``errors`` name each
broken rule (``rule``) and where (``field``). These routes are xAPI's, not part of
the OpenAPI document.

One module per kind of resource: ``statements``, ``documents`` (State, Activity
Profile, Agent Profile), ``about`` (about, activities, agents); ``common`` holds the
entrypoint, the parameters' checks and the scope checks they share.
"""

from .about import XapiAboutRoutes
from .documents import XapiDocumentRoutes
from .statements import XapiStatementRoutes


class XapiRoutes(XapiStatementRoutes, XapiDocumentRoutes, XapiAboutRoutes):
    """Every xAPI resource, for the gateway's service class."""


__all__ = ["XapiAboutRoutes", "XapiDocumentRoutes", "XapiRoutes",
           "XapiStatementRoutes"]
