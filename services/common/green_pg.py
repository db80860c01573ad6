"""psycopg2 under eventlet: a query waits on PostgreSQL's socket through the hub, so
the process's other tasks run meanwhile; and the hub hears of the sockets libpq opens.

The hub keeps a listener per file descriptor number a task waits on. A socket closed
while a task waits on it (another task closed it) leaves that listener behind until
the waiting task's timeout, and the number is free again. A socket eventlet opens
itself on that number clears it (``notify_opened``); libpq opens its sockets out of
eventlet's sight, so a connection made then — the pool's first ones after a database
outage — got "Second simultaneous read on fileno N" from the hub, and its request a
502. This wait clears such a listener itself: a connection is used by one task at a
time, so a listener already on its socket's number can only be left over.
"""

from __future__ import annotations

import errno
import logging

from eventlet import hubs
from psycopg2 import OperationalError, extensions

log = logging.getLogger(__name__)


def wait(conn, timeout=None) -> None:
    """psycopg2's wait callback: poll the connection, wait on the hub until it may."""
    while True:
        state = conn.poll()
        if state == extensions.POLL_OK:
            return
        if state not in (extensions.POLL_READ, extensions.POLL_WRITE):
            raise OperationalError(f"bad result from poll: {state!r}")
        fileno = conn.fileno()
        clear_left_over(hubs.get_hub(), fileno)
        hubs.trampoline(fileno, read=state == extensions.POLL_READ,
                        write=state == extensions.POLL_WRITE)


def clear_left_over(hub, fileno: int) -> None:
    """Drop the listeners left on ``fileno``, and tell their tasks, if still waiting,
    that their socket is closed. (eventlet's own ``notify_opened`` tells them from
    its loop unguarded: a task that dies of it there takes the loop down with it.)"""
    for evtype in (hub.READ, hub.WRITE):
        while (left := hub.listeners[evtype].get(fileno)) is not None:
            log.warning("a listener was left on file descriptor %s (its socket was "
                        "closed while a task waited on it); PostgreSQL's connection "
                        "has that number now: the listener is cleared", fileno)
            hub.remove(left)
            left.defang()  # its task's own remove, when it wakes, does nothing
            hub.schedule_call_global(0, _closed_under, left)


def _closed_under(listener) -> None:
    if not listener.greenlet.dead:
        listener.tb(hubs.IOClosed(errno.ENOTCONN, "Operation on closed file"))


def make_psycopg2_green() -> None:
    extensions.set_wait_callback(wait)
