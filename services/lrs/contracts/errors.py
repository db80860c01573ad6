"""Domain errors, plain exceptions: ``service.py`` registers them for RPC, so that a
caller gets them back as themselves (``services.common.rpc.register_errors``).

Each carries ``violations``: a list of ``{"path", "rule", "detail"}`` naming the rule
of xAPI 1.0.3 (or of this LRS) the request broke, for the answer's body.
"""


class LrsError(Exception):
    """Base of every lrs domain error."""

    def __init__(self, violations: list[dict]):
        super().__init__(violations)
        self.violations = violations


class Invalid(LrsError):
    """The request breaks a rule: 400."""


class NotFound(LrsError):
    """No such statement for this institution (or it is voided, or it is not): 404."""


class Conflict(LrsError):
    """A statement id is stored already with other content: 409, nothing stored."""


class PreconditionFailed(LrsError):
    """A document's If-Match / If-None-Match does not hold: 412."""


class Forbidden(LrsError):
    """The credentials' scopes do not allow this: 403 (the gateway's own check)."""
