"""The HTTP front: routes of docs/product.md, each a thin call to the service that owns it.

Route groups live in ``gateway/routes/`` (one module per owning service) and are mixed
in here; this class only declares the dependencies they share.
"""

from __future__ import annotations

from nameko.dependency_providers import Config

from services.common.clock import Clock
from services.common.database import Database
from services.common.observability import EntrypointMetrics
from services.common.registry import ProcessFacts
from services.common.relay import Outbox
from services.common.rpc import RpcProxy

from . import auth
from .combiner import Combined
from .http import RateLimits
from .models import Base, outbox_table
from .revocation_feed import RevocationFeed
from .routes.accounts import AccountsRoutes
from .routes.audit import AuditRoutes
from .routes.catalog import CatalogRoutes
from .routes.dead_letters import DeadLetterRoutes
from .routes.docs import DocsRoutes
from .routes.institutions import InstitutionsRoutes
from .routes.licensing import LicensingRoutes
from .routes.lrs_clients import LrsClientsRoutes
from .routes.onboarding import OnboardingRoutes
from .routes.ops import OpsRoutes
from .routes.partners import PartnersRoutes
from .routes.password_resets import PasswordResetRoutes
from .routes.tracking import TrackingRoutes
from .routes.xapi import XapiRoutes
from .web.pages import WebPages
from .worker_release import ReleaseWorker


class GatewayService(OpsRoutes, DocsRoutes, CatalogRoutes, OnboardingRoutes, AccountsRoutes,
                     PasswordResetRoutes, TrackingRoutes, LicensingRoutes,
                     PartnersRoutes, AuditRoutes, DeadLetterRoutes, InstitutionsRoutes,
                     LrsClientsRoutes, XapiRoutes, WebPages, RevocationFeed):
    name = "gateway"
    # /metrics on its own HTTP port; its workers mostly wait on other services, and
    # its progress batches fill from the requests waiting
    facts = ProcessFacts(ops_port=8000, workers=100, front=True, web=True)

    db = Database(Base.metadata, on_ready=auth.ensure_operator)
    metrics = EntrypointMetrics(serve_ops=False)
    outbox = Outbox(outbox_table)
    clock = Clock()
    config = Config()
    release = ReleaseWorker()  # frees each worker on teardown: see worker_release.py

    catalog_rpc = RpcProxy("catalog")
    onboarding_rpc = RpcProxy("onboarding")
    licensing_rpc = RpcProxy("licensing")
    tracking_rpc = RpcProxy("tracking")
    lrs_rpc = RpcProxy("lrs")
    progress_batches = Combined("record_progress")  # see combiner.py
    # requests of a few statements: one call in flight, so that a statement's share
    # of the lrs's write falls as its batches grow; requests of many: two, so that
    # the lrs writes one while the next is made up (decision 0065)
    statement_batches = Combined("store_statements", lanes="XAPI_BATCH_LANES")
    statement_bulk = Combined("store_statement_batches")
    rate_limits = RateLimits()
