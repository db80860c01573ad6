"""A TCP proxy of a test's own, in front of a shared server, that the test can cut.

The machine's PostgreSQL serves every test running on it, so a test that needs the
database to go away puts this proxy in between and cuts it instead:

    with TcpProxy("127.0.0.1", 5432) as proxy:
        url = f"postgresql+psycopg2://postgres@127.0.0.1:{proxy.port}/base"
        proxy.cut()      # open connections are reset, new ones are refused
        proxy.restore()  # new connections go through again

It runs in operating-system threads with the standard library's own sockets, even
under the eventlet monkey patch of ``nameko test``: the proxy never waits on the
test's hub, nor the test on the proxy.
"""

from __future__ import annotations

import contextlib
import struct

try:
    from eventlet.patcher import original
except ImportError:  # pragma: no cover - the suite always has eventlet
    import socket
    import threading
else:
    socket = original("socket")
    threading = original("threading")

CHUNK = 65536


class TcpProxy:
    def __init__(self, target_host: str, target_port: int, host: str = "127.0.0.1"):
        self.target = (target_host, target_port)
        self.host = host
        self.port = 0
        self._listener: socket.socket | None = None
        self._pairs: set[tuple[socket.socket, socket.socket]] = set()
        self._lock = threading.Lock()
        self._closed = False

    def start(self) -> TcpProxy:
        self._listen()
        return self

    def cut(self) -> None:
        """Like a database gone: reset every connection, refuse new ones."""
        self._stop_listening()
        with self._lock:
            pairs, self._pairs = self._pairs, set()
        for pair in pairs:
            for sock in pair:
                _reset(sock)

    def restore(self) -> None:
        """Accept connections again, on the same port."""
        if self._listener is None:
            self._listen()

    def close(self) -> None:
        self._closed = True
        self.cut()

    def _listen(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self.host, self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _stop_listening(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:  # the listener was closed: cut or closed
                return
            if listener is not self._listener:
                _reset(client)
                return
            try:
                server = socket.create_connection(self.target, timeout=5)
                server.settimeout(None)
            except OSError:
                _reset(client)
                continue
            with self._lock:
                self._pairs.add((client, server))
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, daemon=True,
                                 args=(source, sink, (client, server))).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, pair) -> None:
        try:
            while data := source.recv(CHUNK):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            with self._lock:
                self._pairs.discard(pair)
            for sock in pair:
                _reset(sock)

    def __enter__(self) -> TcpProxy:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()


def _reset(sock: socket.socket) -> None:
    """Close with a reset, as a server that went away: the peer errs at once."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):  # wakes a thread blocked reading it
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()
