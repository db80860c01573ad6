"""Domain errors; registered so an RPC caller gets them back as themselves."""

from nameko.exceptions import deserialize_to_instance


@deserialize_to_instance
class TrackingError(Exception):
    """Base of every tracking domain error."""


@deserialize_to_instance
class NotFound(TrackingError):
    pass


@deserialize_to_instance
class Invalid(TrackingError):
    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


@deserialize_to_instance
class Forbidden(TrackingError):
    """The learner or institution may not do this now; ``code`` says why."""

    def __init__(self, code: str, detail: str):
        super().__init__(code, detail)
        self.code = code
        self.detail = detail
