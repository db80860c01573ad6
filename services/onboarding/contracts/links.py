"""Addresses onboarding's e-mails give that the gateway serves.

Onboarding writes them into its mails and the gateway answers them, so both take them
from here.
"""


def status_url(public_url: str, application_id: str, token: str) -> str:
    return f"{public_url}/api/v1/applications/{application_id}?token={token}"
