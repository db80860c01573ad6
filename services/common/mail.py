"""E-mail: SMTP when SMTP_URL is set, otherwise .eml files under MAIL_DIR."""

from __future__ import annotations

import re
import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from urllib.parse import urlparse


def build_message(sender: str, mail: dict) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = mail["to"]
    msg["Subject"] = mail["subject"]
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain="continuity.local")
    if mail.get("language"):
        msg["Content-Language"] = mail["language"]
    msg.set_content(mail["text"], cte="8bit")  # readable in any viewer
    return msg


class Mailer:
    def __init__(self, sender: str, mail_dir: str, smtp_url: str = ""):
        self.sender = sender
        self.mail_dir = Path(mail_dir)
        self.smtp_url = smtp_url

    def send(self, message_id: str, mail: dict) -> None:
        msg = build_message(self.sender, mail)
        if self.smtp_url:
            url = urlparse(self.smtp_url)
            with smtplib.SMTP(url.hostname or "localhost", url.port or 25) as smtp:
                if url.username:
                    smtp.starttls()
                    smtp.login(url.username, url.password or "")
                smtp.send_message(msg)
            return
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        safe_to = re.sub(r"[^A-Za-z0-9@._-]", "_", mail["to"])
        # the outbox message id names the file: a re-sent mail overwrites itself
        path = self.mail_dir / f"{safe_to}--{message_id}.eml"
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(bytes(msg))
        tmp.replace(path)
