"""How far a mail row's sessions may go ahead of what is recorded (decision 0057)."""

from __future__ import annotations

import smtplib

import eventlet
import pytest

from services.common.mail import Mailer
from services.common.mail_rows import RowProgress
from tests.support.smtp import FakeRelay


def test_a_session_waits_while_the_window_ahead_of_the_record_is_full():
    progress = RowProgress(start=0, total=10, window=2)
    assert progress.before(0) and progress.before(1)
    third = eventlet.spawn(progress.before, 2)
    eventlet.sleep(0.01)
    assert not third.dead  # mails 0 and 1 may be sent and not recorded: no third
    progress.sent(0)
    eventlet.sleep(0.01)
    assert not third.dead  # sent, but not written down yet
    progress.record(progress.done)
    assert third.wait() is True


def test_what_is_recorded_is_the_run_of_first_mails_sent():
    progress = RowProgress(start=100, total=110, window=4)
    progress.sent(1)  # the row's mail 101 came back before its mail 100
    progress.sent(2)
    assert progress.done == 100  # mail 100 may not have gone: nothing more is sure
    progress.sent(0)
    assert progress.done == 103 and progress.unrecorded


def test_a_stop_lets_every_waiting_session_go_home_without_sending():
    progress = RowProgress(start=0, total=10, window=1)
    waiting = eventlet.spawn(progress.before, 1)
    eventlet.sleep(0.01)
    progress.stop()
    assert waiting.wait() is False
    assert progress.before(0) is False


def test_sessions_never_run_further_ahead_of_the_record_than_their_number():
    """However the relay answers, at most ``connections`` mails are sent and not
    recorded: what a kill -9 would leave to be sent again."""
    relay = FakeRelay(delay=0.001)
    try:
        mailer = Mailer("Continuity <no-reply@continuity.local>", "unused",
                        relay.url, connections=3)
        progress = RowProgress(start=0, total=60, window=3)
        most_ahead = 0

        def recorder():  # the relay's, without a database: a write takes a while
            nonlocal most_ahead
            while not progress.stopped:
                progress.wait_advanced(1.0)
                most_ahead = max(most_ahead, len(relay.messages) - progress.recorded)
                eventlet.sleep(0.005)
                progress.record(progress.done)

        writing = eventlet.spawn(recorder)
        mailer.send_all(((f"m-{n}", {"to": f"l{n}@lycee.fr", "subject": "s",
                                     "text": "t"}) for n in range(60)), gate=progress)
        progress.stop()
        writing.wait()
        assert progress.done == 60 and len(relay.messages) == 60
        assert 1 <= most_ahead <= 3
    finally:
        relay.close()


def test_a_failed_session_stops_the_others_waiting_for_their_turn():
    relay = FakeRelay(refuse_for_now=("l2@",))
    try:
        mailer = Mailer("Continuity <no-reply@continuity.local>", "unused",
                        relay.url, connections=3)
        progress = RowProgress(start=0, total=20, window=3)  # never recorded: waits
        # mails 0 and 1 sent, 2 refused for now: 3 and 4 wait for a record that
        # will not come; they stop instead of waiting for ever
        with pytest.raises(smtplib.SMTPRecipientsRefused), eventlet.Timeout(5):
            mailer.send_all(((f"m-{n}", {"to": f"l{n}@lycee.fr", "subject": "s",
                                         "text": "t"}) for n in range(20)),
                            gate=progress)
        assert sorted(relay.recipients()) == [b"l0@lycee.fr", b"l1@lycee.fr"]
    finally:
        relay.close()
