"""The gateway's secrets: none from the code, made once on this machine in development."""

from __future__ import annotations

import threading

import pytest

from services.common.credentials import (
    DEV_SECRETS_FILE,
    ConfigError,
    development_secrets,
    gateway_secrets,
)

STRONG = "s" * 40


@pytest.mark.parametrize("env, named", [
    ({}, "TOKEN_SECRET"),
    ({"TOKEN_SECRET": "too-short"}, "TOKEN_SECRET"),
    ({"TOKEN_SECRET": "dev-only-secret-set-TOKEN_SECRET-in-production"}, "TOKEN_SECRET"),
    ({"TOKEN_SECRET": STRONG, "OPERATOR_EMAIL": "ops@x.org"}, "OPERATOR_PASSWORD"),
    ({"TOKEN_SECRET": STRONG, "OPERATOR_EMAIL": "ops@x.org",
      "OPERATOR_PASSWORD": "continuity-operator"}, "OPERATOR_PASSWORD"),
    ({"TOKEN_SECRET": STRONG, "OPERATOR_PASSWORD": "long-enough-pass"}, "OPERATOR_EMAIL"),
])
def test_outside_development_a_missing_weak_or_published_secret_stops_the_gateway(
        env, named, tmp_path):
    with pytest.raises(ConfigError, match=named):
        gateway_secrets(env, tmp_path)
    assert not (tmp_path / DEV_SECRETS_FILE).exists()


def test_given_secrets_are_used_as_they_are(tmp_path):
    env = {"TOKEN_SECRET": STRONG, "OPERATOR_EMAIL": "ops@x.org",
           "OPERATOR_PASSWORD": "long-enough-pass"}
    assert gateway_secrets(env, tmp_path) == env
    assert gateway_secrets({"TOKEN_SECRET": STRONG}, tmp_path)["OPERATOR_EMAIL"] == ""


def test_development_mode_makes_random_secrets_once_and_keeps_them(tmp_path):
    dev = {"CONTINUITY_ENV": "development"}
    first = gateway_secrets(dev, tmp_path)
    assert len(first["TOKEN_SECRET"]) >= 32 and len(first["OPERATOR_PASSWORD"]) >= 12
    assert gateway_secrets(dev, tmp_path) == first
    assert gateway_secrets(dev, tmp_path / "elsewhere") != first  # per machine, not code
    assert (tmp_path / DEV_SECRETS_FILE).stat().st_mode & 0o077 == 0
    chosen = gateway_secrets({**dev, "OPERATOR_PASSWORD": "my-own-password"}, tmp_path)
    assert chosen["OPERATOR_PASSWORD"] == "my-own-password"
    assert chosen["TOKEN_SECRET"] == first["TOKEN_SECRET"]


def test_processes_starting_together_agree_on_one_set(tmp_path):
    seen: list[dict] = []
    threads = [threading.Thread(target=lambda: seen.append(development_secrets(tmp_path)))
               for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 8 and all(s == seen[0] for s in seen)
    assert [p.name for p in tmp_path.iterdir()] == [DEV_SECRETS_FILE]


def test_previous_token_secrets_are_checked_like_the_secret(tmp_path):
    env = {"TOKEN_SECRET": STRONG, "TOKEN_PREVIOUS_SECRETS": f"{'p' * 40}, {'q' * 40}"}
    previous = gateway_secrets(env, tmp_path)["TOKEN_PREVIOUS_SECRETS"]
    assert previous == ("p" * 40, "q" * 40)
    with pytest.raises(ConfigError, match="TOKEN_PREVIOUS_SECRETS"):
        gateway_secrets({**env, "TOKEN_PREVIOUS_SECRETS": "short"}, tmp_path)
    with pytest.raises(ConfigError, match="TOKEN_PREVIOUS_SECRETS"):
        gateway_secrets({**env, "TOKEN_PREVIOUS_SECRETS":
                         "dev-only-token-secret-change-me"}, tmp_path)
