class CatalogError(Exception):
    """Base of every catalog domain error."""


class NotFound(CatalogError):
    pass


class Invalid(CatalogError):
    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors
