"""Each process's database, and the config built from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from services.common.config import database_url, load_config
from services.common.registry import facts, process_names

PROCESSES = process_names()
# the processes with a database of their own that are not the HTTP front
SERVICES = [p for p in PROCESSES if not facts(p).front and not facts(p).database_of]

VAR = Path("/srv/continuity/var")


def test_the_default_is_one_sqlite_file_per_process_under_var_dir():
    assert (
        database_url("onboarding", {}, VAR)
        == "sqlite:////srv/continuity/var/onboarding.db"
    )
    urls = {database_url(p, {}, VAR) for p in PROCESSES}
    assert len(urls) == len(PROCESSES)


def test_a_shared_server_gives_each_process_its_own_database():
    env = {
        "DATABASE_URL": "postgresql+psycopg2://app:s3cret@db.internal:5432/continuity"
    }

    assert database_url("tracking", env, VAR) == (
        "postgresql+psycopg2://app:s3cret@db.internal:5432/continuity_tracking"
    )
    assert len({database_url(s, env, VAR) for s in SERVICES}) == len(SERVICES)


def test_a_server_without_a_database_name_uses_continuity_as_the_base():
    env = {"DATABASE_URL": "postgresql+psycopg2://postgres@127.0.0.1:5432"}

    assert database_url("catalog", env, VAR) == (
        "postgresql+psycopg2://postgres@127.0.0.1:5432/continuity_catalog"
    )


def test_a_per_service_url_wins_over_the_shared_one():
    env = {
        "DATABASE_URL": "postgresql+psycopg2://postgres@127.0.0.1:5432/continuity",
        "LICENSING_DATABASE_URL": "postgresql+psycopg2://lic@licdb:5432/licences",
    }

    assert (
        database_url("licensing", env, VAR)
        == "postgresql+psycopg2://lic@licdb:5432/licences"
    )
    assert database_url("onboarding", env, VAR).endswith("/continuity_onboarding")


def test_a_shared_sqlite_url_still_gives_each_service_its_own_database():
    # catalog and tracking both own a "courses" table, and every service has its own
    # "outbox": one shared file would mix them.
    env = {"DATABASE_URL": "sqlite:////srv/continuity/var/continuity.db"}

    urls = {database_url(s, env, VAR) for s in SERVICES}

    assert len(urls) == len(SERVICES)


def test_load_config_resolves_paths_under_var_dir(tmp_path):
    config = load_config("tracking", {"VAR_DIR": str(tmp_path)})

    assert config["DATABASE_URL"] == f"sqlite:///{tmp_path}/tracking.db"
    assert config["MAIL_DIR"] == str(tmp_path / "mail")
    assert config["SERVICE"] == "tracking"


@pytest.mark.parametrize("process", SERVICES)
def test_services_carry_no_gateway_secret(process, tmp_path):
    assert "TOKEN_SECRET" not in load_config(process, {"VAR_DIR": str(tmp_path)})


def test_the_gateway_config_has_its_token_settings(tmp_path):
    config = load_config(
        "gateway",
        {
            "VAR_DIR": str(tmp_path),
            "TOKEN_SECRET": "x" * 32,
            "TOKEN_TTL_SECONDS": "600",
            "RATE_LIMIT_STORAGE": "redis://limits.internal:6379/2",
        },
    )

    assert (config["TOKEN_SECRET"], config["TOKEN_TTL_SECONDS"]) == ("x" * 32, 600)
    assert config["RATE_LIMIT_STORAGE"] == "redis://limits.internal:6379/2"
    assert config["TRUSTED_PROXY_HOPS"] == 0  # clients reach it directly unless told


def test_outside_development_the_gateway_needs_a_shared_limit_store(tmp_path):
    """Limits counted in each process's memory multiply by the number of pods."""
    from services.common.credentials import ConfigError

    env = {"VAR_DIR": str(tmp_path), "TOKEN_SECRET": "x" * 32}
    with pytest.raises(ConfigError, match="RATE_LIMIT_STORAGE"):
        load_config("gateway", env)
    dev = load_config("gateway", {**env, "CONTINUITY_ENV": "development"})
    assert dev["RATE_LIMIT_STORAGE"] == "memory://"


def test_credentials_and_options_survive_the_per_process_rename():
    env = {
        "DATABASE_URL": "postgresql+psycopg2://app:p%40ss%2Fw%3Ard@db:5432/ct"
        "?sslmode=require"
    }

    url = make_url(database_url("onboarding", env, VAR))

    assert (url.username, url.password, url.host) == ("app", "p@ss/w:rd", "db")
    assert url.database == "ct_onboarding"
    assert url.query == {"sslmode": "require"}


def test_each_process_has_its_own_worker_pool_unless_told_otherwise():
    """Onboarding serves the gateway's calls and the surge's activations at once; the
    gateway mostly waits on the others: both get more workers than the rest."""
    from services.common.config import load_config

    env = {"TOKEN_SECRET": "x" * 32, "RATE_LIMIT_STORAGE": "memory://"}
    defaults = {p: load_config(p, env)["max_workers"]
                for p in ("gateway", "onboarding", "licensing", "tracking", "catalog")}
    assert defaults == {"gateway": 100, "onboarding": 30, "licensing": 10,
                        "tracking": 10, "catalog": 10}
    assert load_config("onboarding", {"MAX_WORKERS": "12"})["max_workers"] == 12


@pytest.mark.parametrize("process", PROCESSES)
def test_every_listening_socket_binds_loopback_unless_told(process, tmp_path):
    env = {"VAR_DIR": str(tmp_path), "TOKEN_SECRET": "x" * 32,
           "RATE_LIMIT_STORAGE": "memory://"}
    assert load_config(process, env)["BIND_HOST"] == "127.0.0.1"
    assert load_config(process, {**env, "BIND_HOST": "0.0.0.0"})["BIND_HOST"] == "0.0.0.0"
    if process == "gateway":
        assert load_config(process, env)["WEB_SERVER_ADDRESS"] == "127.0.0.1:8000"


def test_links_in_mails_point_at_this_gateway_unless_told(tmp_path):
    env = {"VAR_DIR": str(tmp_path), "TOKEN_SECRET": "x" * 32}
    assert load_config("onboarding", env)["PUBLIC_URL"] == "http://127.0.0.1:8000"
    moved = {**env, "GATEWAY_PORT": "8800"}
    assert load_config("onboarding", moved)["PUBLIC_URL"] == "http://127.0.0.1:8800"
    public = {**moved, "PUBLIC_URL": "https://continuity.example.org/"}
    assert load_config("licensing", public)["PUBLIC_URL"] == (
        "https://continuity.example.org")
