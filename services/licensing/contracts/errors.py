"""Domain errors, plain exceptions: ``service.py`` registers them for RPC, so that a
caller gets them back as themselves (``services.common.rpc.register_errors``)."""


class LicensingError(Exception):
    """Base of every licensing domain error."""


class NotFound(LicensingError):
    pass


class Invalid(LicensingError):
    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


class Conflict(LicensingError):
    pass


class UnknownPlan(LicensingError):
    pass
