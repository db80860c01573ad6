"""The gateway's secrets: given by the operator, or made once in development mode.

A secret that ships with the code is public knowledge: anyone could sign an operator's
token with it, or log in with its operator password. So outside development mode the
gateway starts only when ``TOKEN_SECRET`` (and, for an operator account, a password)
are given; in development mode (``CONTINUITY_ENV=development``, which ``make run``
sets) a random secret and operator password are made once under ``VAR_DIR`` and kept,
so tokens and the password survive a restart.

``TOKEN_PREVIOUS_SECRETS`` (comma-separated) names keys tokens were signed with before
the current one: still accepted, never used to sign, so ``TOKEN_SECRET`` can rotate
without signing everyone out (docs/deploy.md).
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
from collections.abc import Mapping
from pathlib import Path

DEVELOPMENT = "development"
DEV_SECRETS_FILE = "development-secrets.json"
DEV_OPERATOR_EMAIL = "operator@continuity.local"
MIN_SECRET_LENGTH = 32
MIN_PASSWORD_LENGTH = 12
GENERATE_HINT = "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"
# values this repository once shipped as defaults or examples: known to everyone
PUBLISHED = frozenset({
    "dev-only-secret-set-TOKEN_SECRET-in-production",
    "dev-only-token-secret-change-me",
    "change-me-to-a-long-random-string-at-least-32-chars",
    "continuity-operator",
    "operator-password-change-me",
})


class ConfigError(Exception):
    """A setting the process cannot start without is missing or unsafe."""


def development_mode(env: Mapping[str, str]) -> bool:
    return env.get("CONTINUITY_ENV", "").strip().lower() == DEVELOPMENT


def development_secrets(var_dir: Path) -> dict[str, str]:
    """This machine's development secrets: read, or made once (several processes may
    start together: the file appears whole or not at all, and the first one wins)."""
    path = var_dir / DEV_SECRETS_FILE
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        made = {
            "TOKEN_SECRET": secrets.token_urlsafe(48),
            "OPERATOR_EMAIL": DEV_OPERATOR_EMAIL,
            "OPERATOR_PASSWORD": secrets.token_urlsafe(12),
        }
        fd, draft = tempfile.mkstemp(dir=var_dir, prefix=".secrets-")  # mode 0600
        try:
            with os.fdopen(fd, "w") as out:
                json.dump(made, out)
            os.link(draft, path)  # fails if another process was first
        except FileExistsError:
            pass
        finally:
            os.unlink(draft)
    return json.loads(path.read_text())


def gateway_secrets(env: Mapping[str, str], var_dir: Path) -> dict[str, str]:
    """TOKEN_SECRET, OPERATOR_EMAIL and OPERATOR_PASSWORD for the gateway, or
    ConfigError saying what to set."""
    given = {name: env.get(name, "").strip()
             for name in ("TOKEN_SECRET", "OPERATOR_EMAIL", "OPERATOR_PASSWORD")}
    previous = previous_secrets(env)
    if development_mode(env):
        made = development_secrets(var_dir)
        if given["OPERATOR_EMAIL"] and not given["OPERATOR_PASSWORD"]:
            given["OPERATOR_PASSWORD"] = made["OPERATOR_PASSWORD"]
        chosen = {name: value or made[name] for name, value in given.items()}
        return {**chosen, **with_previous(previous)}
    published = [name for name, value in given.items() if value in PUBLISHED]
    if any(secret in PUBLISHED for secret in previous):
        published.insert(0, "TOKEN_PREVIOUS_SECRETS")
    if published:
        raise ConfigError(f"{published[0]} is a value published with Continuity's "
                          f"examples: anyone knows it; set your own")
    if len(given["TOKEN_SECRET"]) < MIN_SECRET_LENGTH:
        raise ConfigError(
            f"TOKEN_SECRET must be set to a random string of at least "
            f"{MIN_SECRET_LENGTH} characters (make one with: {GENERATE_HINT}); "
            f"for a local run, set CONTINUITY_ENV={DEVELOPMENT} instead"
        )
    if given["OPERATOR_EMAIL"] and len(given["OPERATOR_PASSWORD"]) < MIN_PASSWORD_LENGTH:
        raise ConfigError(
            f"OPERATOR_EMAIL is set: OPERATOR_PASSWORD must be set too, at least "
            f"{MIN_PASSWORD_LENGTH} characters"
        )
    if any(len(secret) < MIN_SECRET_LENGTH for secret in previous):
        raise ConfigError(
            f"each of TOKEN_PREVIOUS_SECRETS (comma-separated) must be at least "
            f"{MIN_SECRET_LENGTH} characters, like TOKEN_SECRET")
    if given["OPERATOR_PASSWORD"] and not given["OPERATOR_EMAIL"]:
        raise ConfigError("OPERATOR_PASSWORD is set without OPERATOR_EMAIL")
    return {**given, **with_previous(previous)}


def with_previous(previous: tuple[str, ...]) -> dict:
    return {"TOKEN_PREVIOUS_SECRETS": previous} if previous else {}


def previous_secrets(env: Mapping[str, str]) -> tuple[str, ...]:
    """The keys of ``TOKEN_PREVIOUS_SECRETS``, in order, without blanks."""
    value = env.get("TOKEN_PREVIOUS_SECRETS", "")
    return tuple(part.strip() for part in value.split(",") if part.strip())


def operator_line(env: Mapping[str, str], gateway_config: Mapping[str, str]) -> str:
    """The operator login to show at start: a password made for development is
    printed, one the operator chose is not."""
    email = gateway_config.get("OPERATOR_EMAIL")
    if not email:
        return "operator login  none (set OPERATOR_EMAIL and OPERATOR_PASSWORD)"
    chosen = bool(env.get("OPERATOR_PASSWORD", "").strip()) or not development_mode(env)
    if chosen:
        return f"operator login  {email} / (OPERATOR_PASSWORD)"
    return (f"operator login  {email} / {gateway_config['OPERATOR_PASSWORD']}"
            f"  (development mode: made once, kept in "
            f"{Path(gateway_config['VAR_DIR']) / DEV_SECRETS_FILE})")
