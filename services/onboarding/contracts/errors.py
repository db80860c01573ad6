"""Domain errors, plain exceptions: ``service.py`` registers them for RPC, so that a
caller gets them back as themselves (``services.common.rpc.register_errors``)."""


class OnboardingError(Exception):
    """Base of every onboarding domain error."""


class NotFound(OnboardingError):
    pass


class Invalid(OnboardingError):
    """A request the rules refuse; ``errors`` maps a field to its reasons."""

    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


class Conflict(OnboardingError):
    pass


class LastAdmin(Conflict):
    """The institution's only admin: it stays until another admin is invited."""


class InvitationUnusable(OnboardingError):
    """Unknown, expired or already used invitation."""


class TooLarge(OnboardingError):
    """A file beyond what one import takes."""
