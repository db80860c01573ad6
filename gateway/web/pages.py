"""Every page of the web app, mixed into the gateway as one class."""

from __future__ import annotations

from .accounts import AccountPages
from .dashboard import DashboardPages
from .institution import InstitutionPages
from .learners import LearnerPages
from .password import PasswordPages
from .password_resets import PasswordResetPages
from .public import PublicPages


class WebPages(PublicPages, AccountPages, PasswordResetPages, PasswordPages,
               InstitutionPages, LearnerPages, DashboardPages):
    """The pages' routes; the dependencies they use live on GatewayService."""
