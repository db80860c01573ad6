"""What a broker or a database that is away looks like, on both sides of an RPC.

An outage is not a bug of the request: the same request succeeds once the broker or
the database is back. A service answers such a failure as :class:`Unavailable` (it
crosses RPC as itself, not as a bare ``RemoteError``), and the gateway answers it,
like its own outages, 503 with ``Retry-After``.
"""

from __future__ import annotations

import amqp.exceptions
import kombu.exceptions
from nameko.exceptions import deserialize_to_instance, serialize
from sqlalchemy import exc as sa

# connections refused, reset or timed out; SQLAlchemy's OperationalError also covers
# a serialization failure or a deadlock, which a retry resolves as well
OUTAGE_ERRORS: tuple[type[BaseException], ...] = (
    sa.OperationalError, sa.InterfaceError, sa.DisconnectionError, sa.TimeoutError,
    kombu.exceptions.OperationalError, amqp.exceptions.ConnectionError,
    ConnectionError, TimeoutError,
)


@deserialize_to_instance
class Unavailable(Exception):
    """A broker or database the service needs is away for now; try again later."""


def is_outage(exc: BaseException) -> bool:
    return isinstance(exc, OUTAGE_ERRORS) or bool(
        getattr(exc, "connection_invalidated", False))


def as_unavailable(exc: BaseException) -> BaseException:
    """``exc`` as the caller should hear of it: an outage becomes Unavailable."""
    if isinstance(exc, Unavailable) or not is_outage(exc):
        return exc
    return Unavailable(f"{type(exc).__name__}: a broker or database is away; "
                       "try again later")


def serialize_error(exc: BaseException) -> dict:
    """An error as an RPC answer carries it (one of a batch's answers, say)."""
    return serialize(as_unavailable(exc))
