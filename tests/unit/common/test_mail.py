"""Mails written as .eml files: headers a mail client reads, one file per mail."""

from __future__ import annotations

from email import message_from_bytes, policy

from services.common.mail import Mailer


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


class FakeRelay:
    """A minimal SMTP server: counts connections, keeps messages, may hang up."""

    def __init__(self, hang_up_after: int | None = None, refuse: tuple = ()):
        import socketserver
        import threading

        relay = self
        self.connections, self.messages = 0, []

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                relay.connections += 1
                self.wfile.write(b"220 fake ESMTP\r\n")
                in_session = 0
                while line := self.rfile.readline():
                    verb = line[:4].upper()
                    if verb == b"DATA":
                        self.wfile.write(b"354 go on\r\n")
                        data = b"".join(iter(self.rfile.readline, b".\r\n"))
                        relay.messages.append(data)
                        in_session += 1
                        self.wfile.write(b"250 queued\r\n")
                        if hang_up_after and in_session >= hang_up_after:
                            return  # the relay's per-session limit: it hangs up
                    elif verb == b"RCPT" and any(r.encode() in line for r in refuse):
                        self.wfile.write(b"550 no such user here\r\n")
                    elif verb == b"QUIT":
                        self.wfile.write(b"221 bye\r\n")
                        return
                    else:  # EHLO, HELO, MAIL, RCPT, RSET, NOOP
                        self.wfile.write(b"250 ok\r\n")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"smtp://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


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
        received = [m.split(b"To: ")[1].split(b"\r\n")[0] for m in relay.messages]
        assert received == [f"l{n}@etu.fr".encode() for n in range(25)]
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
        received = [m.split(b"To: ")[1].split(b"\r\n")[0] for m in relay.messages]
        assert received == [b"a@etu.fr", b"b@etu.fr"]
    finally:
        relay.close()
