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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mails", type=int, default=1000)
    parser.add_argument("--delay", type=float, default=0.005)
    parser.add_argument("--connections", default="1,2,4,8")
    args = parser.parse_args()
    counts = [int(c) for c in args.connections.split(",")]
    figures: dict = {"mails": args.mails, "delay_seconds": args.delay, "runs": {}}
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
