"""Every page of the web app, mixed into the gateway as one class."""

from __future__ import annotations

from .accounts import AccountPages
from .dashboard import DashboardPages
from .dead_letters import DeadLetterPages
from .institution import InstitutionPages
from .learner import LearnerPages
from .learners import InstitutionLearnersPages
from .operator import OperatorPages
from .operator_institution import OperatorInstitutionPages
from .operator_lrs import OperatorLrsPages
from .password import PasswordPages
from .password_resets import PasswordResetPages
from .public import PublicPages


class WebPages(PublicPages, AccountPages, PasswordResetPages, PasswordPages,
               InstitutionPages, InstitutionLearnersPages, DashboardPages,
               DeadLetterPages, LearnerPages, OperatorPages, OperatorInstitutionPages,
               OperatorLrsPages):
    """The pages' routes; the dependencies they use live on GatewayService."""
