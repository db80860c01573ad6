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
