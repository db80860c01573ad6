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
