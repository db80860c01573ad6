"""Domain errors, plain exceptions: ``service.py`` registers them for RPC, so that a
caller gets them back as themselves (``services.common.rpc.register_errors``)."""


class CatalogError(Exception):
    """Base of every catalog domain error."""


class NotFound(CatalogError):
    pass


class Invalid(CatalogError):
    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


class Conflict(CatalogError):
    """The request clashes with the catalogue as it is (an id taken, a wrong state)."""

    def __init__(self, detail: str, errors: dict | None = None):
        super().__init__(detail, errors)
        self.detail = detail
        self.errors = errors
