"""Mails: .eml files a mail client reads (one per mail), or sent to an SMTP relay."""

from __future__ import annotations

import smtplib
from email import message_from_bytes, policy

import eventlet
import pytest

from services.common.mail import Mailer
from tests.support.smtp import FakeRelay
from tests.support.waiting import wait_for


def read(path):
    return message_from_bytes(path.read_bytes(), policy=policy.default)


def test_a_mail_reads_back_with_its_accents_and_addresses(tmp_path):
    mailer = Mailer("Équipe Continuity <no-reply@continuity.local>",
                    str(tmp_path / "m"))
    mailer.send("m-1", {"to": "zoe.leclerc@etu.fr", "subject": "Bienvenue à l'école",
                        "text": "Bonjour Zoé,\nvoici votre invitation.",
                        "language": "fr"})
    mailer.send("m-2", {"to": "Anne Proviseure <anne@lycee.fr>", "subject": "Hello",
                        "text": "Hi", "language": "en"})
    first = tmp_path / "m" / "zoe.leclerc@etu.fr--m-1.eml"
    second = tmp_path / "m" / "Anne_Proviseure__anne@lycee.fr_--m-2.eml"
    assert sorted((tmp_path / "m").iterdir()) == sorted([first, second])
    mail = read(first)
    assert mail["From"].addresses[0].display_name == "Équipe Continuity"
    assert mail["To"] == "zoe.leclerc@etu.fr"
    assert mail["Subject"] == "Bienvenue à l'école"
    assert mail.get_content() == "Bonjour Zoé,\r\nvoici votre invitation.\r\n"
    assert read(second)["To"].addresses[0].display_name == "Anne Proviseure"


def test_the_same_mail_sent_again_overwrites_its_file(tmp_path):
    mailer = Mailer("Continuity <no-reply@continuity.local>", str(tmp_path))
    for text in ("first", "again"):
        mailer.send("m-1", {"to": "a@b.fr", "subject": "S", "text": text})
    assert [p.name for p in tmp_path.iterdir()] == ["a@b.fr--m-1.eml"]
    assert read(tmp_path / "a@b.fr--m-1.eml").get_content().strip() == "again"


def test_a_run_of_mails_goes_through_one_smtp_connection():
    relay = FakeRelay()
    try:
        mailer = Mailer("Continuity <no-reply@continuity.local>", "unused", relay.url)
        with mailer.session() as send:
            for n in range(25):
                send(f"m-{n}", {"to": f"l{n}@etu.fr", "subject": "Bienvenue",
                                "text": f"Bonjour {n}"})
        assert relay.connections == 1 and len(relay.messages) == 25
        assert b"To: l24@etu.fr" in relay.messages[-1]
    finally:
        relay.close()


def test_a_relay_that_hangs_up_gets_a_new_connection_and_no_mail_is_lost():
    relay = FakeRelay(hang_up_after=10)
    try:
        mailer = Mailer("Continuity <no-reply@continuity.local>", "unused", relay.url)
        with mailer.session() as send:
            for n in range(25):
                send(f"m-{n}", {"to": f"l{n}@etu.fr", "subject": "S", "text": "T"})
        assert relay.recipients() == [f"l{n}@etu.fr".encode() for n in range(25)]
        assert relay.connections == 3
    finally:
        relay.close()


def test_a_recipient_refused_for_good_does_not_hold_back_the_others():
    """A permanent refusal (5xx) of one address is logged and skipped: retrying it
    would keep every later invitation of the outbox waiting behind it."""
    relay = FakeRelay(refuse=("gone@",))
    try:
        mailer = Mailer("Continuity <no-reply@continuity.local>", "unused", relay.url)
        with mailer.session() as send:
            for to in ("a@etu.fr", "gone@etu.fr", "b@etu.fr"):
                send(to, {"to": to, "subject": "S", "text": "T"})
        assert relay.recipients() == [b"a@etu.fr", b"b@etu.fr"]
    finally:
        relay.close()


def invitations(count: int):
    return [(f"m-{n}", {"to": f"l{n}@etu.fr", "subject": "Bienvenue",
                        "text": f"Bonjour {n}"}) for n in range(count)]


def test_a_roster_of_invitations_goes_to_a_distant_relay_through_several_sessions():
    """A relay a round trip away: four sessions at once, each mail sent once."""
    relay = FakeRelay(delay=0.002)
    try:
        mailer = Mailer("Continuity <no-reply@continuity.local>", "unused", relay.url,
                        connections=4)
        mailer.send_all(invitations(60))
        assert sorted(relay.recipients()) == sorted(
            f"l{n}@etu.fr".encode() for n in range(60))
        assert relay.connections == 4 and relay.most_open == 4
    finally:
        relay.close()


def test_a_short_run_opens_no_more_sessions_than_it_has_mails():
    relay = FakeRelay()
    try:
        mailer = Mailer("Continuity <no-reply@continuity.local>", "unused", relay.url,
                        connections=4)
        mailer.send_all(invitations(2))
        assert relay.connections == 2 and len(relay.messages) == 2
    finally:
        relay.close()


def test_a_mail_the_relay_refuses_for_now_stops_every_session_and_is_raised():
    """A 451: the outbox row stays pending and is sent again later; the other
    sessions stop taking mails rather than race through the rest."""
    relay = FakeRelay(delay=0.002, refuse_for_now=("l5@",))
    try:
        mailer = Mailer("Continuity <no-reply@continuity.local>", "unused", relay.url,
                        connections=3)
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            mailer.send_all(invitations(200))
        assert b"l5@etu.fr" not in relay.recipients()
        assert len(relay.messages) < 20  # the sessions stopped soon after
    finally:
        relay.close()


def test_without_a_relay_a_run_of_mails_is_written_as_files(tmp_path):
    mailer = Mailer("Continuity <no-reply@continuity.local>", str(tmp_path),
                    connections=4)
    seen = []
    mailer.send_all(invitations(5), after_each=lambda: seen.append(1))
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f"l{n}@etu.fr--m-{n}.eml" for n in range(5)]
    assert len(seen) == 5


def test_sessions_stop_when_the_sender_is_stopped():
    """The relay's thread killed as its process stops: its sessions stop with it
    rather than go on sending a row that will be sent again after the restart."""
    relay = FakeRelay(delay=0.005)
    try:
        mailer = Mailer("Continuity <no-reply@continuity.local>", "unused", relay.url,
                        connections=4)
        sender = eventlet.spawn(mailer.send_all, invitations(400))
        wait_for(lambda: relay.messages, timeout=10)  # killed mid-run, not before
        sender.kill()
        stopped_at = len(relay.messages)
        eventlet.sleep(0.5)
        assert 0 < stopped_at and len(relay.messages) <= stopped_at + 4
    finally:
        relay.close()
