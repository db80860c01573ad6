"""A minimal SMTP relay for tests and benchmarks: keeps what it is sent.

It counts connections (and the most open at once), may answer each command after a
delay (a relay across a network), hang up after some messages (a per-session
limit), refuse recipients for good (550) or for now (451), or hold every message
after a given one until released (a fault can then come at a known point of a job).
"""

from __future__ import annotations

import socketserver
import threading
import time


class FakeRelay:
    def __init__(self, hang_up_after: int | None = None, refuse: tuple = (),
                 delay: float = 0.0, refuse_for_now: tuple = ()):
        relay = self
        self.connections, self.open, self.most_open = 0, 0, 0
        self.messages: list[bytes] = []
        self.delay = delay
        self.refuse_for_now = tuple(refuse_for_now)  # a test may lift it
        self.hold_at: int | None = None
        self.hold_for, self.held_back, self.hold_at_most = b"", 0, 0.0
        self.released = threading.Event()
        self.released.set()

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: bytes) -> None:
                if relay.delay:
                    time.sleep(relay.delay)  # the round trip to a distant relay
                self.wfile.write(line)

            def handle(self):
                relay.connections += 1
                relay.open += 1
                relay.most_open = max(relay.most_open, relay.open)
                try:
                    self.converse()
                finally:
                    relay.open -= 1

            def converse(self):
                self.reply(b"220 fake ESMTP\r\n")
                in_session = 0
                while line := self.rfile.readline():
                    verb = line[:4].upper()
                    if verb == b"DATA":
                        self.reply(b"354 go on\r\n")
                        lines = []
                        while (line := self.rfile.readline()) not in (b".\r\n", b""):
                            lines.append(line)
                        if not line:
                            return  # the client went away mid-message: not received
                        message = b"".join(lines)
                        if relay.hold_at is not None and relay.hold_for in message:
                            if relay.held_back >= relay.hold_at:
                                # not received until released (a few seconds at
                                # most: never as long as the sender's timeout)
                                relay.released.wait(relay.hold_at_most)
                            relay.held_back += 1
                        relay.messages.append(message)
                        in_session += 1
                        self.reply(b"250 queued\r\n")
                        if hang_up_after and in_session >= hang_up_after:
                            return  # the relay's per-session limit: it hangs up
                    elif verb == b"RCPT" and any(r.encode() in line for r in refuse):
                        self.reply(b"550 no such user here\r\n")
                    elif verb == b"RCPT" and any(
                            r.encode() in line for r in relay.refuse_for_now):
                        self.reply(b"451 try again later\r\n")
                    elif verb == b"QUIT":
                        self.reply(b"221 bye\r\n")
                        return
                    else:  # EHLO, HELO, MAIL, RCPT, RSET, NOOP
                        self.reply(b"250 ok\r\n")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"smtp://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def hold(self, after: int, to: str = "", at_most: float = 10.0) -> None:
        """Receive ``after`` more messages (to addresses starting with ``to``: a
        roster's learners, not their school's admin), then keep the senders
        waiting for the answer to the next ones until ``release``, or ``at_most``
        seconds each (less than smtplib's 30 s: a sender that gave up would send
        them again)."""
        self.hold_for = f"To: {to}".encode()
        self.held_back, self.hold_at_most = 0, at_most
        self.released.clear()
        self.hold_at = after

    def release(self) -> None:
        self.hold_at = None
        self.released.set()

    def recipients(self) -> list[bytes]:
        return [m.split(b"To: ")[1].split(b"\r\n")[0] for m in self.messages]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


if __name__ == "__main__":  # a relay in a process of its own (bench/mail_relay.py)
    import argparse
    import sys

    parser = argparse.ArgumentParser()
    parser.add_argument("--delay", type=float, default=0.0)
    relay = FakeRelay(delay=parser.parse_args().delay)
    print(relay.url, flush=True)
    for _ in sys.stdin:  # each line asks how many messages so far; end of input: stop
        print(len(relay.messages), flush=True)
