"""Configuration from environment variables, with defaults that work on a laptop.

One function builds the nameko config dict for a process; providers read it from
``self.container.config`` and nothing reads the environment anywhere else.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from sqlalchemy.engine import make_url

from .credentials import ConfigError, development_mode, gateway_secrets
from .registry import facts

DEFAULT_AMQP_URI = "amqp://guest:guest@localhost:5672/"
# where the ops ports that processes declare (their ProcessFacts) start
OPS_PORT_BASE = 9100


def database_url(process: str, env: Mapping[str, str], var_dir: Path) -> str:
    """The database of one process: its own, never another's.

    ``<PROCESS>_DATABASE_URL`` wins; otherwise ``DATABASE_URL`` names a server and a
    base name, and each process gets ``<base>_<process>`` on it; otherwise a SQLite
    file under ``var/``.
    """
    specific = env.get(f"{process.upper()}_DATABASE_URL")
    if specific:
        return specific
    shared = env.get("DATABASE_URL")
    if shared:
        url = make_url(shared)
        if url.get_backend_name() == "sqlite":  # one file each: app.db → app_catalog.db
            path = Path(url.database or "continuity.db")
            suffix = path.suffix or ".db"
            return f"sqlite:///{path.with_name(path.stem + '_' + process + suffix)}"
        base = url.database or "continuity"
        return url.set(database=f"{base}_{process}").render_as_string(
            hide_password=False
        )
    return f"sqlite:///{var_dir / (process + '.db')}"


def rate_limit_storage(env: Mapping[str, str]) -> str:
    """RATE_LIMIT_STORAGE, e.g. redis://redis:6379/0. Counting in each process's
    memory would multiply every limit by the number of gateway processes, so it is
    the default in development mode only."""
    given = env.get("RATE_LIMIT_STORAGE", "").strip()
    if given:
        return given
    if development_mode(env):
        return "memory://"
    raise ConfigError(
        "RATE_LIMIT_STORAGE must name the store every gateway process shares its rate "
        "limits in (e.g. redis://redis:6379/0); for a local run, set "
        "CONTINUITY_ENV=development instead")


def load_config(process: str, env: Mapping[str, str] | None = None) -> dict:
    env = os.environ if env is None else env
    var_dir = Path(env.get("VAR_DIR", "var")).resolve()
    declared = facts(process)  # what the process type says of itself
    metrics_port = int(env.get("METRICS_PORT", declared.ops_port))
    # every listening socket (the gateway's, each ops port) binds here: a laptop's
    # processes stay private unless told otherwise; containers set 0.0.0.0
    bind_host = env.get("BIND_HOST", "127.0.0.1")
    config: dict = {
        "SERVICE": process,
        "AMQP_URI": env.get("AMQP_URI", DEFAULT_AMQP_URI),
        "max_workers": int(env.get("MAX_WORKERS", declared.workers)),
        # PostgreSQL connections this process may hold: DB_POOL_SIZE kept open
        # (0: one per worker, and the relay's two), DB_MAX_OVERFLOW more at a peak.
        # Every process of the platform together must stay under the server's
        # max_connections (docs/deploy.md, "Database connections").
        "DB_POOL_SIZE": int(env.get("DB_POOL_SIZE", "0")),
        "DB_MAX_OVERFLOW": int(env.get("DB_MAX_OVERFLOW", "10")),
        "parent_calls_tracked": 10,
        "serializer": "json",
        "DATABASE_URL": database_url(declared.database_of or process, env, var_dir),
        "VAR_DIR": str(var_dir),
        "MAIL_DIR": str(Path(env.get("MAIL_DIR", var_dir / "mail")).resolve()),
        "SMTP_URL": env.get("SMTP_URL", ""),
        # sessions a run of mails (a roster's invitations) opens at once to the relay
        "SMTP_CONNECTIONS": int(env.get("SMTP_CONNECTIONS", "4")),
        "MAIL_FROM": env.get("MAIL_FROM", "Continuity <no-reply@continuity.local>"),
        # the base of links in e-mails: where this machine's gateway listens, unless
        # the public address is another (a proxy, a domain name)
        "PUBLIC_URL": env.get(
            "PUBLIC_URL", f"http://127.0.0.1:{env.get('GATEWAY_PORT', '8000')}"
        ).rstrip("/"),
        "METRICS_PORT": metrics_port,
        "BIND_HOST": bind_host,
        "LOG_LEVEL": env.get("LOG_LEVEL", "INFO"),
        "OUTBOX_POLL_SECONDS": float(env.get("OUTBOX_POLL_SECONDS", "1.0")),
        # days published events stay in the outbox, to rebuild read models from
        # (continuity-rebuild); 0: for ever
        "OUTBOX_KEEP_DAYS": float(env.get("OUTBOX_KEEP_DAYS", "7")),
        # a mail row is its relay's while it renews this claim (every third of it);
        # a relay killed mid-row leaves the rest to another once it lapses (0057)
        "OUTBOX_LEASE_SECONDS": float(env.get("OUTBOX_LEASE_SECONDS", "15")),
        "TIMER_SECONDS": float(env.get("TIMER_SECONDS", "60")),
        # shifts every Clock (services/common/clock.py): a test starts "in the future"
        "CLOCK_OFFSET_SECONDS": float(env.get("CLOCK_OFFSET_SECONDS", "0")),
        "RPC_TIMEOUT": float(env.get("RPC_TIMEOUT", "30")),
        "ROSTER_LEASE_SECONDS": float(env.get("ROSTER_LEASE_SECONDS", "30")),
        # a learner's invitation is not sent again sooner than this after the last
        "INVITATION_RESEND_QUIET_SECONDS": float(
            env.get("INVITATION_RESEND_QUIET_SECONDS", "120")),
        "ONBOARDING_RULES": env.get("ONBOARDING_RULES", ""),
        "LICENSING_PLANS": env.get("LICENSING_PLANS", ""),
    }
    if declared.web:
        config.update(
            WEB_SERVER_ADDRESS=f"{bind_host}:{env.get('GATEWAY_PORT', '8000')}",
            TOKEN_TTL_SECONDS=int(env.get("TOKEN_TTL_SECONDS", "3600")),
            # the longest a revoked token still works on a gateway process that did
            # not revoke it: each reloads the revocations this often (gateway/auth.py)
            REVOCATION_REFRESH_SECONDS=float(
                env.get("REVOCATION_REFRESH_SECONDS", "5")),
            AMQP_PUBLIC_URI=env.get("AMQP_PUBLIC_URI", "amqp://continuity.example:5672/"),
            # origins whose scripts may call /api/ (partners' web apps); none by
            # default (gateway/answer_headers.py)
            CORS_ALLOWED_ORIGINS=env.get("CORS_ALLOWED_ORIGINS", ""),
            RATE_LIMIT_APPLY=env.get("RATE_LIMIT_APPLY", "30/60"),
            RATE_LIMIT_LOGIN=env.get("RATE_LIMIT_LOGIN", "20/60"),
            RATE_LIMIT_LOGIN_ACCOUNT=env.get("RATE_LIMIT_LOGIN_ACCOUNT", "10/60"),
            RATE_LIMIT_INVITATION=env.get("RATE_LIMIT_INVITATION", "20/60"),
            RATE_LIMIT_PREFIX=env.get("RATE_LIMIT_PREFIX", "continuity"),
            # proxies in front of the gateway whose X-Forwarded-For/-Proto it believes:
            # 0 when clients reach it directly (make run), 1 behind an Ingress
            TRUSTED_PROXY_HOPS=int(env.get("TRUSTED_PROXY_HOPS", "0")),
            WEBHOOK_POLL_SECONDS=float(env.get("WEBHOOK_POLL_SECONDS", "1")),
            WEBHOOK_RETRY_SECONDS=env.get("WEBHOOK_RETRY_SECONDS", "5,300,1800,7200,18000,36000"),
            # networks webhooks may reach although not public
            # (gateway/partners/destinations.py): empty in production; "127.0.0.0/8"
            # for a receiver on this machine
            WEBHOOK_ALLOWED_NETWORKS=env.get("WEBHOOK_ALLOWED_NETWORKS", ""),
            # progress records sent to tracking together (gateway/combiner.py)
            GATEWAY_BATCH_LANES=int(env.get("GATEWAY_BATCH_LANES", "2")),
            GATEWAY_BATCH_MAX=int(env.get("GATEWAY_BATCH_MAX", "64")),
            # xAPI statements sent to the lrs together: one call in flight per gateway
            # process, so the requests arriving meanwhile make its next batch
            # (decision 0065)
            XAPI_BATCH_LANES=int(env.get("XAPI_BATCH_LANES", "1")),
        )
    if declared.front:  # the webhooks process signs nothing and logs no one in
        config.update(gateway_secrets(env, var_dir))
        # where every gateway process counts its rate limits together
        config["RATE_LIMIT_STORAGE"] = rate_limit_storage(env)
        # how long an operator action's Idempotency-Key gives its first answer again
        config["IDEMPOTENCY_KEY_HOURS"] = float(
            env.get("IDEMPOTENCY_KEY_HOURS", "24"))
    return config
