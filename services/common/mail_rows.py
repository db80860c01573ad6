"""How far an outbox mail row is sent, and how far ahead of the record its sessions
may go (decision 0057).

A mail row holds up to a roster batch's 1,000 invitations. The relay records in the
row how many of its first mails are sent (``mails_sent``) as they complete; a relay
that takes the row over (after a ``kill -9``, an SMTP failure) starts from there. So
that what it sends again is bounded by the SMTP sessions, not by the row, a session
may send mail ``n`` only while ``n < recorded + window``: with ``window`` the number
of sessions, at most ``window`` mails are sent and not yet recorded at any moment.
Records are coalesced: one write records every mail completed since the last.
"""

from __future__ import annotations

from eventlet.event import Event


class RowProgress:
    """The mails of one row: ``start`` of them were sent before (by a previous relay),
    ``total`` in all. Mail ``k`` of ``Mailer.send_all`` is the row's mail
    ``start + k``."""

    def __init__(self, start: int, total: int, window: int):
        self.start, self.total = start, total
        self.window = max(1, window)
        self.recorded = start  # the row's first mails, sent and written down
        self.done = start  # the row's first mails, sent (some maybe not recorded)
        self._sent_beyond: set[int] = set()  # sent, after one not yet sent
        self.stopped = False  # stopping, failed, or the row is no longer ours
        self._moved = Event()  # the record moved (or stopping): sessions may go on
        self._advanced = Event()  # more sent than recorded: something to write

    # -- the sessions' side (Mailer.send_all's gate) ------------------------------
    def before(self, k: int) -> bool:
        """Whether the row's mail ``start + k`` may go now; waits while it is
        ``window`` or more ahead of the record. False: take no more."""
        n = self.start + k
        while not self.stopped and n >= self.recorded + self.window:
            self._moved.wait()
        return not self.stopped

    def sent(self, k: int) -> None:
        n = self.start + k
        if n != self.done:
            self._sent_beyond.add(n)
            return
        self.done += 1
        while self.done in self._sent_beyond:
            self._sent_beyond.remove(self.done)
            self.done += 1
        self._signal("_advanced")

    def failed(self) -> None:
        self.stop()

    # -- the recorder's side ----------------------------------------------------------
    @property
    def unrecorded(self) -> bool:
        return self.done > self.recorded

    def wait_advanced(self, timeout: float) -> None:
        """Until more is sent than recorded, or ``timeout`` seconds (a renewal)."""
        if not self.unrecorded and not self.stopped:
            self._advanced.wait(timeout)

    def record(self, done: int) -> None:
        """The row's first ``done`` mails are written down as sent."""
        self.recorded = max(self.recorded, done)
        self._signal("_moved")

    def stop(self) -> None:
        self.stopped = True
        self._signal("_moved")
        self._signal("_advanced")

    def _signal(self, name: str) -> None:
        event = getattr(self, name)
        setattr(self, name, Event())
        event.send()
