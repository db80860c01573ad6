"""PostgreSQL connections under eventlet's hub, the way every process makes them
(services/common/green_pg.py)."""

from __future__ import annotations

import socket

import eventlet
import psycopg2
import pytest
from psycopg2 import extensions

from services.common.green_pg import make_psycopg2_green

DSN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"


@pytest.fixture
def green():
    make_psycopg2_green()
    yield
    extensions.set_wait_callback(None)


def test_a_connection_on_the_number_of_a_socket_closed_under_its_reader_works(green):
    """A socket closed while a task waits on it (the relay's broker connection, say)
    leaves the hub a listener on its number; the next PostgreSQL connection, which
    takes that number, queries all the same, and the waiting task hears its socket
    closed instead of waiting on."""
    ours, theirs = socket.socketpair()
    reader = eventlet.spawn(ours.recv, 1)
    eventlet.sleep(0)  # the reader waits on the socket now
    number = ours.fileno()
    ours.close()  # by another task: the hub is not told
    connections = []
    try:
        for _ in range(5):  # the lowest free number: this one, unless a lower one is
            connections.append(psycopg2.connect(DSN))
            if connections[-1].fileno() == number:
                break
        assert connections[-1].fileno() == number
        with connections[-1].cursor() as cursor:
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)
        with pytest.raises(EOFError):  # what recv says of a socket closed under it
            reader.wait()
    finally:
        for connection in connections:
            connection.close()
        theirs.close()
