"""What the partner context refuses; the routes map these to problem+json."""

from __future__ import annotations


class WebhookError(Exception):
    """A request about partners or webhooks that cannot be honoured."""


class Invalid(WebhookError):
    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


class NotFound(WebhookError):
    pass
