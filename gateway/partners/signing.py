"""Standard Webhooks signatures: each endpoint's secret, its rotation, the header."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from ..models import Webhook

SECRET_PREFIX = "whsec_"
ROTATION_GRACE = timedelta(hours=24)


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """``v1,<base64 HMAC-SHA256>`` of ``{id}.{timestamp}.{body}`` (Standard
    Webhooks)."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signature_header(webhook: Webhook, message_id: str, timestamp: int, body: bytes,
                     now: datetime) -> str:
    """Signed with the current secret, and the previous one during a rotation."""
    signatures = [sign(webhook.secret, message_id, timestamp, body)]
    if webhook.previous_secret and webhook.previous_secret_until and \
            webhook.previous_secret_until > now:
        signatures.append(sign(webhook.previous_secret, message_id, timestamp, body))
    return " ".join(signatures)


def rotate_secret(webhook: Webhook, now: datetime) -> Webhook:
    webhook.previous_secret = webhook.secret
    webhook.previous_secret_until = now + ROTATION_GRACE
    webhook.secret = new_secret()
    return webhook
