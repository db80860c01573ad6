"""Domain errors; registered so an RPC caller gets them back as themselves."""

from nameko.exceptions import deserialize_to_instance


@deserialize_to_instance
class OnboardingError(Exception):
    """Base of every onboarding domain error."""


@deserialize_to_instance
class NotFound(OnboardingError):
    pass


@deserialize_to_instance
class Invalid(OnboardingError):
    """A request the rules refuse; ``errors`` maps a field to its reasons."""

    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


@deserialize_to_instance
class Conflict(OnboardingError):
    pass


@deserialize_to_instance
class InvitationUnusable(OnboardingError):
    """Unknown, expired or already used invitation."""


@deserialize_to_instance
class TooLarge(OnboardingError):
    """A file beyond what one import takes."""
