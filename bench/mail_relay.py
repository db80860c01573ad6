"""A roster's invitations through an SMTP relay a round trip away: mails per second.

    .venv/bin/python bench/mail_relay.py [--mails 1000] [--delay 0.005]
        [--connections 1,2,4,8]

The relay (``tests/support/smtp.py``, a process of its own) answers each SMTP
command after ``--delay`` seconds, as a relay across a network does. The onboarding
relay's sender (``Mailer.send_all``, eventlet-green as in the services) sends
``--mails`` invitations of the real template with each number of sessions. The
ceiling is what one session can do at that delay at best: one mail per four
answers (MAIL, RCPT, DATA, the end of the data). Also measured: the same mails to
the relay without delay (the sender's and relay's own cost).

``--outbox sqlite,postgresql``: the same mails as one outbox row sent by the
service's relay (``Outbox._send_mail_rows``: claimed, sent, each mail recorded as
it completes, decision 0057), against ``Mailer.send_all`` alone (what the relay
did before, plus one UPDATE), with ``--connections``' largest number of sessions;
PostgreSQL at ``--pg`` (a database of its own is made there and dropped).
"""

from __future__ import annotations

import eventlet

eventlet.monkey_patch()

import argparse  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from harness import write_results  # noqa: E402

from services.common.mail import Mailer  # noqa: E402
from services.common.runner import green_psycopg2  # noqa: E402

green_psycopg2()  # PostgreSQL's round trips let the SMTP sessions run, as in a service
from services.onboarding.mails import learner_invitation  # noqa: E402

ANSWERS_PER_MAIL = 4


class Relay:
    def __init__(self, delay: float):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.support.smtp", "--delay", str(delay)],
            cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.url = self.process.stdout.readline().strip()

    def received(self) -> int:
        self.process.stdin.write("count\n")
        self.process.stdin.flush()
        return int(self.process.stdout.readline())

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=10)


def invitations(count: int, run: str) -> list[tuple[str, dict]]:
    values = {"institution": "Université Bench", "public_url": "https://continuity.example"}
    return [(f"{run}-{n}", learner_invitation("fr", {
        **values, "to": f"l{n}.{run}@etu.univ-bench.fr", "first_name": f"Prénom{n}",
        "token": f"{n:036d}secret"})) for n in range(count)]


def send(relay: Relay, mails: list, connections: int) -> float:
    mailer = Mailer("Continuity <no-reply@continuity.local>", "unused", relay.url,
                    connections=connections)
    before = relay.received()
    started = time.perf_counter()
    mailer.send_all(mails)
    elapsed = time.perf_counter() - started
    if relay.received() - before != len(mails):
        raise SystemExit("the relay did not receive every mail once")
    return len(mails) / elapsed


def through_outbox(relay: Relay, mails: list, connections: int, url: str) -> float:
    """One outbox row of ``mails`` sent by the service's relay: mails/s."""
    from types import SimpleNamespace

    from sqlalchemy import MetaData, insert, select
    from sqlalchemy.orm import sessionmaker

    from services.common.db import infrastructure_tables, make_engine, utcnow
    from services.common.relay import Outbox

    metadata = MetaData()
    table, _ = infrastructure_tables(metadata)
    engine = make_engine(url)  # as the services': WAL on SQLite, pooled PostgreSQL
    metadata.create_all(engine)
    try:
        outbox = Outbox(table)  # set up as Outbox.setup does, without a container
        outbox.container = SimpleNamespace(_worker_threads={})
        outbox.service, outbox.lease = "bench", __import__("datetime").timedelta(
            seconds=15)
        outbox._token, outbox._running, outbox._sending = "bench", True, None
        outbox._observed, outbox._sessions = 0.0, sessionmaker(engine)
        outbox.mailer = Mailer("Continuity <no-reply@continuity.local>", "unused",
                               relay.url, connections=connections)
        with engine.begin() as conn:
            conn.execute(insert(table).values(
                message_id="row-1", kind="mail", topic=f"{len(mails)} recipients",
                body={"mails": [mail for _, mail in mails]}, created_at=utcnow()))
        before = relay.received()
        started = time.perf_counter()
        outbox._send_mail_rows()
        elapsed = time.perf_counter() - started
        with engine.connect() as conn:
            assert conn.execute(select(table.c.published_at)).scalar() is not None
        if relay.received() - before != len(mails):
            raise SystemExit("the relay did not receive every mail once")
        return len(mails) / elapsed
    finally:
        metadata.drop_all(engine)
        engine.dispose()


def outbox_runs(args, connections: int, figures: dict) -> None:
    import tempfile

    urls = {"sqlite": f"sqlite:///{tempfile.mkdtemp()}/bench-mail-outbox.db",
            "postgresql": f"{args.pg.rstrip('/')}/bench_mail_outbox"}
    figures["outbox"] = {}
    for delay in (0.0, args.delay):
        relay = Relay(delay)
        try:
            alone = send(relay, invitations(args.mails, f"a{delay}"), connections)
            runs = {"send_all_alone": round(alone, 1)}
            print(f"relay answering after {delay * 1000:g} ms, {connections} sessions:"
                  f" Mailer.send_all alone {alone:,.1f} mails/s")
            for backend in args.outbox.split(","):
                if backend == "postgresql":
                    from services.common.db import ensure_database

                    ensure_database(urls[backend])
                mails = invitations(args.mails, f"{backend}{delay}")
                rate = through_outbox(relay, mails, connections, urls[backend])
                runs[backend] = round(rate, 1)
                print(f"  through the outbox relay on {backend}: {rate:,.1f} mails/s "
                      f"({rate / alone:.2f} × send_all alone)")
            figures["outbox"][f"{delay * 1000:g} ms"] = runs
        finally:
            relay.close()
    if "postgresql" in args.outbox:
        from sqlalchemy import create_engine, text

        admin = create_engine(f"{args.pg.rstrip('/')}/postgres",
                              isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("DROP DATABASE IF EXISTS bench_mail_outbox"))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mails", type=int, default=1000)
    parser.add_argument("--delay", type=float, default=0.005)
    parser.add_argument("--connections", default="1,2,4,8")
    parser.add_argument("--outbox", default="",
                        help="sqlite,postgresql: through the service's outbox relay")
    parser.add_argument("--pg", default="postgresql+psycopg2://postgres@127.0.0.1:5432")
    args = parser.parse_args()
    counts = [int(c) for c in args.connections.split(",")]
    figures: dict = {"mails": args.mails, "delay_seconds": args.delay, "runs": {}}
    if args.outbox:
        outbox_runs(args, max(counts), figures)
        print(f"figures: {write_results('mail_relay_outbox', figures)}")
        return
    near = Relay(0.0)
    try:
        rate = send(near, invitations(args.mails, "near"), max(counts))
        figures["without_delay_mails_per_second"] = round(rate)
        print(f"relay without delay, {max(counts)} sessions: {rate:,.0f} mails/s")
    finally:
        near.close()
    ceiling = 1 / (ANSWERS_PER_MAIL * args.delay)
    figures["one_session_ceiling_mails_per_second"] = round(ceiling, 1)
    print(f"relay answering after {args.delay * 1000:g} ms: one session sends at most "
          f"{ceiling:,.1f} mails/s")
    far = Relay(args.delay)
    try:
        for connections in counts:
            rate = send(far, invitations(args.mails, f"c{connections}"), connections)
            figures["runs"][connections] = {
                "mails_per_second": round(rate, 1), "ratio_to_one_session": round(
                    rate / ceiling, 2),
                "seconds_for_100000": round(100_000 / rate)}
            print(f"  {connections} session(s): {rate:7,.1f} mails/s "
                  f"({rate / ceiling:.2f} × one session's ceiling; 100,000 invitations "
                  f"in {100_000 / rate / 60:,.1f} min)")
    finally:
        far.close()
    print(f"figures: {write_results('mail_relay', figures)}")


if __name__ == "__main__":
    main()
