"""E-mail: SMTP when SMTP_URL is set, otherwise .eml files under MAIL_DIR.

Messages are rendered directly as RFC 5322 bytes (UTF-8 body sent 8bit, RFC 2047
encoded headers): the standard library's EmailMessage is slow enough per message to
make a surge's roster invitations the slowest part of an import (decision 0017).
"""

from __future__ import annotations

import base64
import itertools
import logging
import os
import re
import smtplib
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from email.utils import formatdate, parseaddr
from functools import lru_cache
from pathlib import Path
from typing import Protocol
from urllib.parse import urlparse

import eventlet


def encode_header(value: str) -> str:
    """ASCII stays readable; anything else becomes RFC 2047 encoded words."""
    if value.isascii():
        return value
    raw = value.encode("utf-8")
    words, start = [], 0
    while start < len(raw):
        end = min(start + 45, len(raw))
        while end < len(raw) and (raw[end] & 0xC0) == 0x80:  # never split a character
            end -= 1
        words.append(f"=?utf-8?b?{base64.b64encode(raw[start:end]).decode()}?=")
        start = end
    return "\r\n ".join(words)


def encode_address(value: str) -> str:
    if "<" not in value and '"' not in value and value.isascii():
        return value.strip()  # a bare address (a learner's): no parsing needed
    name, address = parseaddr(value)
    return f"{encode_header(name)} <{address}>" if name else address


@lru_cache(maxsize=8)
def _encoded_sender(sender: str) -> str:
    return encode_address(sender)


def render(sender: str, mail: dict) -> bytes:
    headers = [
        f"From: {_encoded_sender(sender)}",
        f"To: {encode_address(mail['to'])}",
        f"Subject: {encode_header(mail['subject'])}",
        f"Date: {formatdate(localtime=False)}",
        f"Message-ID: <{uuid.uuid4().hex}@continuity.local>",
        "MIME-Version: 1.0",
        'Content-Type: text/plain; charset="utf-8"',
        "Content-Transfer-Encoding: 8bit",
    ]
    if mail.get("language"):
        headers.append(f"Content-Language: {mail['language']}")
    body = "\r\n".join(mail["text"].splitlines())
    return ("\r\n".join(headers) + "\r\n\r\n" + body + "\r\n").encode("utf-8")


class Gate(Protocol):
    """What ``Mailer.send_all`` asks before each mail and tells after it."""

    def before(self, k: int) -> bool: ...
    def sent(self, k: int) -> None: ...
    def failed(self) -> None: ...


log = logging.getLogger(__name__)
UNSAFE = re.compile(r"[^A-Za-z0-9@._-]")


class Mailer:
    """``connections``: SMTP sessions a run of mails may use at once (``send_all``)."""

    def __init__(self, sender: str, mail_dir: str, smtp_url: str = "",
                 connections: int = 1):
        self.sender = sender
        self.mail_dir = Path(mail_dir)
        self.smtp_url = smtp_url
        self.connections = max(1, connections)

    def send(self, message_id: str, mail: dict) -> None:
        with self.session() as send:
            send(message_id, mail)

    def send_all(self, mails: Iterable[tuple[str, dict]],
                 after_each: Callable[[], None] = lambda: None,
                 gate: Gate | None = None) -> None:
        """Send each ``(message_id, mail)`` once; over SMTP through up to
        ``connections`` sessions side by side, each taking the next mail not yet taken.

        A session waits on the relay for each command (four round trips a mail), so
        one session sends a mail per four round trips at best, too slow for a
        surge's invitations through a distant relay (decision 0020). Several
        sessions divide that. The first failure stops every session
        from taking more and is raised once they have all stopped; ``after_each``
        runs after each mail (the relay gives way to the process's workers there).

        ``gate``: asked before the k-th mail (0-based) is sent whether it may go
        (``before(k)`` may wait; False: take no more), told once it is sent
        (``sent(k)``); the outbox relay records what is sent through it (decision
        0057).
        """
        failures: list[BaseException] = []
        taken = itertools.count()

        def drain(waiting: Iterator[tuple[str, dict]]) -> None:
            with self.session() as send:
                while not failures:  # another session failed: take no more
                    mail = next(waiting, None)
                    if mail is None:
                        return
                    k = next(taken)  # no switch since next(waiting): in order
                    if gate is not None and not gate.before(k):
                        return
                    send(*mail)
                    if gate is not None:
                        gate.sent(k)
                    after_each()

        lanes = self.connections if self.smtp_url else 1
        if lanes == 1:
            drain(iter(mails))
            return
        mails = list(mails)
        waiting = iter(mails)  # shared: each session takes the next mail not taken

        def lane() -> None:
            try:
                drain(waiting)
            except Exception as exc:  # the others stop taking mails
                failures.append(exc)
                if gate is not None:
                    gate.failed()  # a session waiting for its turn stops waiting

        threads = [eventlet.spawn(lane) for _ in range(min(lanes, len(mails)))]
        try:
            for thread in threads:
                thread.wait()
        finally:  # the caller stopped (its process is stopping): so do its sessions
            for thread in threads:
                thread.kill()
        if failures:
            raise failures[0]

    @contextmanager
    def session(self) -> Iterator[Callable[[str, dict], None]]:
        """``send(message_id, mail)`` for a run of mails: over SMTP one connection
        for all of them (not a connection per mail, each with its TLS handshake and
        login), opened again if the server drops it."""
        if not self.smtp_url:
            yield self._write
            return
        smtp: smtplib.SMTP | None = None
        envelope_from = parseaddr(self.sender)[1]

        def send(message_id: str, mail: dict) -> None:
            nonlocal smtp
            raw = render(self.sender, mail)
            for attempt in (1, 2):
                if smtp is None:
                    smtp = self._connect()
                try:
                    smtp.sendmail(envelope_from, [mail["to"]], raw)
                    return
                except smtplib.SMTPRecipientsRefused as exc:
                    codes = [code for code, _ in exc.recipients.values()]
                    if not all(500 <= code < 600 for code in codes):
                        raise  # a temporary refusal (4xx): the outbox tries again
                    # refused for good: retrying would hold back every later mail
                    log.warning("mail %s to %s refused by the relay: %s", message_id,
                                mail["to"], exc.recipients)
                    return
                except smtplib.SMTPServerDisconnected:
                    smtp = None  # idle too long, or the relay's per-session limit
                    if attempt == 2:
                        raise

        try:
            yield send
        finally:
            if smtp is not None:
                try:
                    smtp.quit()
                except (smtplib.SMTPException, OSError):
                    pass

    def _connect(self) -> smtplib.SMTP:
        url = urlparse(self.smtp_url)
        smtp = smtplib.SMTP(url.hostname or "localhost", url.port or 25, timeout=30)
        if url.username:
            smtp.starttls()
            smtp.login(url.username, url.password or "")
        return smtp

    def _write(self, message_id: str, mail: dict) -> None:
        raw = render(self.sender, mail)
        safe_to = UNSAFE.sub("_", mail["to"])
        # the outbox message id names the file: a re-sent mail overwrites itself
        path = os.path.join(self.mail_dir, f"{safe_to}--{message_id}")
        try:
            write = open(path + ".tmp", "wb")
        except FileNotFoundError:
            self.mail_dir.mkdir(parents=True, exist_ok=True)
            write = open(path + ".tmp", "wb")
        with write:
            write.write(raw)
        os.replace(path + ".tmp", path + ".eml")
