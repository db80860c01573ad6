"""A roster import watched as a person would see it, through the gateway and at the
platform's SMTP relay: the job, the seats, the dashboard, the invitations. The tests
that break something during an import (test_faults.py, test_outages.py) count with it,
exactly: every row imported once, every learner seated once and invited once.
"""

from __future__ import annotations

import collections
import contextlib
import time

from . import journey
from .waiting import wait_for


def roster(domain: str, rows: int) -> bytes:
    return ("email,first_name,last_name,cohort\n" + "".join(
        f"eleve{n}@{domain},Élève,{n},Classe {n % 8}\n" for n in range(rows))).encode()


class RosterWatch:
    """Imports rosters on ``platform`` and counts what came of them; ``relay`` is the
    tests.support.smtp.FakeRelay the platform sends its mail through."""

    invited_twice = 0  # learners invited twice by the last complete import

    def __init__(self, platform, relay):
        self.p, self.relay = platform, relay

    def import_roster(self, domain: str, rows: int):
        """A new institution for ``rows`` learners, and its roster uploaded: the
        institution and the job's URL."""
        school = journey.activate(self.p, domain, seats=rows)
        upload = self.p.api("POST", f"/api/v1/institutions/{school.id}/rosters",
                            school.admin, data=roster(domain, rows),
                            headers={"Content-Type": "text/csv"})
        assert upload.status_code == 202, upload.text
        return school, upload.headers["Location"]

    def job(self, school, job_url: str) -> dict:
        answer = self.p.api("GET", job_url, school.admin)
        return answer.json() if answer.status_code == 200 else {}

    def under_way(self, school, domain: str, job_url: str) -> None:
        """Until the import is under way: rows imported, or learners invited."""
        wait_for(lambda: self.invited(domain)
                 or (self.job(school, job_url).get("imported") or 0) > 0,
                 timeout=90, interval=0.02)

    def at_fault(self, school, domain: str, job_url: str, rows: int,
                 invited: int | None = None) -> str:
        """What was done when the fault came: learners invited (counted then, or
        now), rows imported (read once the platform answers again)."""
        invited = len(self.invited(domain)) if invited is None else invited
        assert invited < rows, "every learner invited before the fault"
        imported = wait_for(lambda: self.job(school, job_url), timeout=60)["imported"]
        return f"{imported:,}/{rows:,} rows imported, {invited:,} invited"

    def state(self, school, domain: str, job_url: str) -> dict:
        """What a person would see: the job, the seats, the dashboard, the mail."""
        licence = self.p.api("GET", f"/api/v1/institutions/{school.id}/licence",
                             school.admin)
        job = self.job(school, job_url)
        return {"status": job.get("status"), "rows_read": job.get("rows_read"),
                "imported": job.get("imported"),
                "seats_used": licence.json().get("seats_used")
                if licence.status_code == 200 else None,
                "seats_waiting": licence.json().get("seats_waiting")
                if licence.status_code == 200 else None,
                "seated": self.dashboard(school)["seated"],
                "learners": self.dashboard(school)["learners"],
                "invited": len(self.invited(domain))}

    def assert_complete(self, school, domain: str, job_url: str, rows: int,
                        started: float, within: float,
                        invited_twice_at_most: int = 0) -> float:
        """Every row imported once, every learner seated and invited (once, or
        twice for at most ``invited_twice_at_most`` of them) within ``within``
        seconds: the seconds it took since ``started``."""
        complete = {"status": "done", "rows_read": rows, "imported": rows,
                    "seats_used": rows, "seats_waiting": 0, "seated": rows,
                    "learners": rows, "invited": rows}
        with contextlib.suppress(AssertionError):  # the comparison below says how
            wait_for(lambda: self.state(school, domain, job_url) == complete,
                     timeout=within, interval=0.5)
        assert self.state(school, domain, job_url) == complete
        seconds = time.monotonic() - started
        invited = self.invited(domain)
        time.sleep(2)  # a mail sent twice would come now, after the last one
        assert self.invited(domain) == invited
        twice = {to: n for to, n in invited.items() if n > 1}
        assert set(twice.values()) <= {2}, twice
        assert len(twice) <= invited_twice_at_most, (
            f"{len(twice)} learners invited more than once")
        self.invited_twice = len(twice)
        assert set(invited) == {f"eleve{n}@{domain}" for n in range(rows)}
        return seconds

    def dashboard(self, school) -> dict:
        answer = self.p.api("GET", f"/api/v1/institutions/{school.id}/dashboard",
                            school.admin)
        return answer.json()["totals"] if answer.status_code == 200 else {
            "seated": 0, "learners": 0}

    def invited(self, domain: str) -> collections.Counter:
        return collections.Counter(
            to.decode() for to in self.relay.recipients()
            if to.decode().startswith("eleve") and to.decode().endswith("@" + domain))

    def restarts(self) -> int:
        """Processes the launcher has had to start again so far."""
        return self.p.log().count("starting it again")
