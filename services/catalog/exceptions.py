"""Domain errors; registered so an RPC caller gets them back as themselves."""

from nameko.exceptions import deserialize_to_instance


@deserialize_to_instance
class CatalogError(Exception):
    """Base of every catalog domain error."""


@deserialize_to_instance
class NotFound(CatalogError):
    pass


@deserialize_to_instance
class Invalid(CatalogError):
    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


@deserialize_to_instance
class Conflict(CatalogError):
    """The request clashes with the catalogue as it is (an id taken, a wrong state)."""

    def __init__(self, detail: str, errors: dict | None = None):
        super().__init__(detail, errors)
        self.detail = detail
        self.errors = errors
