"""Domain errors, plain exceptions: ``service.py`` registers them for RPC, so that a
caller gets them back as themselves (``services.common.rpc.register_errors``)."""


class TrackingError(Exception):
    """Base of every tracking domain error."""


class NotFound(TrackingError):
    pass


class Invalid(TrackingError):
    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


class Forbidden(TrackingError):
    """The learner or institution may not do this now; ``code`` says why."""

    def __init__(self, code: str, detail: str):
        super().__init__(code, detail)
        self.code = code
        self.detail = detail
