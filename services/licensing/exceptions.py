"""Domain errors; registered so an RPC caller gets them back as themselves."""

from nameko.exceptions import deserialize_to_instance


@deserialize_to_instance
class LicensingError(Exception):
    """Base of every licensing domain error."""


@deserialize_to_instance
class NotFound(LicensingError):
    pass


@deserialize_to_instance
class Invalid(LicensingError):
    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


@deserialize_to_instance
class Conflict(LicensingError):
    pass


@deserialize_to_instance
class UnknownPlan(LicensingError):
    pass
