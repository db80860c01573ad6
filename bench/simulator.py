"""``continuity-surge`` (``make surge``): replay a surge against a running platform.

    make run                                   # in one terminal
    make surge SURGE_ARGS="--institutions 40 --minutes 2"

Over ``--minutes``, ``--institutions`` institutions arrive (more at the start, as
when campuses close), each through the HTTP API as a person would:

1. its head applies (one in five first sends a form with a mistake, which must be
   refused naming the field); one in ten writes from a personal address, so an
   operator approves it from the review queue;
2. once the institution is active, an operator uploads its roster of
   ``--learners`` learners in a school's own format (French or English headers,
   ``,`` ``;`` or tab), with a few learners listed twice and a few rows wrong, and
   checks the import counted them as expected; one in seven first sends a file the
   API must refuse;
3. learners are seated (or wait for a seat) by licensing;
4. ``--active-learners`` of them accept their invitation (the link from the e-mail the
   platform wrote under ``VAR_DIR/mail``) and record progress through a course, with
   one record that is wrong and must be refused.

A live display shows each stage. At the end: a report of time to active (as the
institutions saw it, and as the platform measured it), seats, throughput and every
error, written as JSON with two plots (PNG) in ``--out``. Exit 0 when the platform did
all it should, 1 when anything went wrong (each error is listed).

The operator's login comes from ``--operator-email``/``--operator-password``, else
``OPERATOR_EMAIL``/``OPERATOR_PASSWORD``, else the development secrets ``make run``
keeps in ``VAR_DIR``. Every request comes from this one machine, so the platform's
limits per address apply: a 429 is waited out (its ``Retry-After``) and counted; to
replay a large surge, start the platform with ``RATE_LIMIT_APPLY`` and
``RATE_LIMIT_INVITATION`` raised (bench/README.md).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes, policy
from pathlib import Path

import requests

from .surge_data import Institution, Roster, bad_application, institution

STAGES = ("applied", "active", "roster imported", "seated", "learners active")
PASSWORD = "surge-learner-password-1"
PROBLEM = "application/problem+json"
# how often a person's page asks again: each ask is a request the platform serves
# during the surge, so asking more often would slow what it measures
POLL_SECONDS = 0.5
UNAVAILABLE_TRIES = 12  # 503s in a row a request waits out (Retry-After: 5 s each)
NOT_UTF8_ROSTER = "Courriel;Prénom;Nom\r\nl\xe9a@example.fr;L\xe9a;Martin\r\n".encode(
    "latin-1")


class Failed(Exception):
    """A step of a journey that went wrong: what, for the report."""


@dataclass
class Tally:
    """What every journey adds to, from many threads."""

    started: float = field(default_factory=time.perf_counter)
    lock: threading.Lock = field(default_factory=threading.Lock)
    counts: Counter = field(default_factory=Counter)
    errors: list[dict] = field(default_factory=list)
    time_to_active: list[float] = field(default_factory=list)
    events: list[tuple[float, str, int]] = field(default_factory=list)  # t, what, n
    requests: Counter = field(default_factory=Counter)  # status class → count
    waited: Counter = field(default_factory=Counter)  # seconds waiting out 429, 503

    def add(self, what: str, n: int = 1) -> None:
        with self.lock:
            self.counts[what] += n
            self.events.append((time.perf_counter() - self.started, what, n))

    def error(self, institution: int | None, step: str, detail: str) -> None:
        with self.lock:
            self.errors.append({"institution": institution, "step": step,
                                "detail": detail[:300]})
            self.counts["errors"] += 1


class Client:
    """Requests to the platform, one keep-alive session per thread. A 429 is waited
    out as its Retry-After asks, and so is a 503 (the platform's "a broker or
    database is away; try again later") when sending again is safe: a read, or a
    write the platform knows again (an Idempotency-Key, a record's id). Both are
    counted."""

    def __init__(self, url: str, tally: Tally, timeout: float = 60.0) -> None:
        self.url, self.tally, self.timeout = url.rstrip("/"), tally, timeout
        self.local = threading.local()

    def request(self, method: str, path: str, token: str | None = None,
                again: bool | None = None, **kwargs) -> requests.Response:
        """``again``: whether a 503 may be sent again (reads may, by default)."""
        again = method == "GET" if again is None else again
        unavailable = 0
        if not hasattr(self.local, "http"):
            self.local.http = requests.Session()
        headers = dict(kwargs.pop("headers", {}))
        if token:
            headers["Authorization"] = f"Bearer {token}"
        for _ in range(100):
            try:
                answer = self.local.http.request(
                    method, self.url + path, headers=headers, timeout=self.timeout,
                    **kwargs)
            except requests.RequestException as exc:
                with self.tally.lock:
                    self.tally.requests["no answer"] += 1
                raise Failed(f"{method} {path}: no answer ({exc})") from None
            with self.tally.lock:
                self.tally.requests[f"{answer.status_code // 100}xx"] += 1
            if answer.status_code == 503 and again and unavailable < UNAVAILABLE_TRIES:
                unavailable += 1
                self.wait(answer, "unavailable")
            elif answer.status_code == 429:
                self.wait(answer, "rate limited")
            else:
                return answer
        raise Failed(f"{method} {path}: still rate limited after 100 waits")

    def wait(self, answer: requests.Response, why: str) -> None:
        wait = float(answer.headers.get("Retry-After", "1"))
        self.tally.add(why)
        with self.tally.lock:
            self.tally.waited[why] += wait
        time.sleep(wait)

    def expect(self, status: int | tuple, method: str, path: str, token=None,
               **kwargs) -> requests.Response:
        answer = self.request(method, path, token, **kwargs)
        wanted = status if isinstance(status, tuple) else (status,)
        if answer.status_code not in wanted:
            raise Failed(f"{method} {path}: {answer.status_code} {answer.text[:200]!r},"
                         f" expected {'/'.join(map(str, wanted))}")
        return answer


def wait_until(check, timeout: float, what: str, every: float = POLL_SECONDS):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise Failed(f"{what}: not after {timeout:.0f} s")
        time.sleep(every)


def refused_naming(answer: requests.Response, status: int,
                   field_name: str) -> str | None:
    """None when ``answer`` is the problem+json refusal naming ``field_name``; else
    what is wrong with it."""
    if answer.status_code != status:
        return f"answered {answer.status_code}, not {status}"
    if not answer.headers.get("Content-Type", "").startswith(PROBLEM):
        return f"answered {answer.headers.get('Content-Type')}, not problem+json"
    if field_name and field_name not in json.dumps(answer.json().get("errors", {})):
        return f"the problem does not name {field_name}: {answer.text[:200]}"
    return None


@dataclass
class Options:
    institutions: int
    minutes: float
    learners: int
    active_learners: int
    records: int
    concurrency: int
    timeout: float
    seed: int


class Surge:
    def __init__(self, client: Client, operator: str, mail_dir: Path,
                 options: Options, courses: list[dict]) -> None:
        self.client, self.operator, self.mail_dir = client, operator, mail_dir
        self.options, self.courses = options, courses
        self.tally = client.tally
        self.run = uuid.uuid4().hex[:6]
        self.seats = Counter()  # seated, waiting, granted: over all institutions
        self.planned = [self.plan(number) for number in range(options.institutions)]

    def plan(self, number: int) -> tuple[Institution, Roster]:
        """The ``number``-th institution and its roster: the same for a seed."""
        rng = random.Random(f"{self.options.seed}-{number}")
        inst = institution(number, self.run, rng, self.options.learners)
        return inst, inst.roster(self.options.learners, rng, self.run)

    def expected(self) -> dict[str, int]:
        """What the surge should end with, if all goes well."""
        imported = [roster.imported for _, roster in self.planned]
        return {"seated": sum(imported),
                "learners active": sum(min(self.options.active_learners, n)
                                       for n in imported)}

    # -- one institution --------------------------------------------------------------
    def journey(self, number: int) -> None:
        inst, roster = self.planned[number]
        try:
            institution_id = self.apply(inst)
            self.import_roster(inst, institution_id, roster)
            learners = self.seat(inst, institution_id, roster)
            self.progress(inst, learners)
        except Failed as exc:
            self.tally.error(number, "journey", str(exc))

    def apply(self, inst: Institution) -> str:
        c = self.client
        if inst.number % 5 == 4:
            wrong, named = bad_application(inst.application)
            problem = refused_naming(c.request("POST", "/api/v1/applications",
                                               again=True, json=wrong), 422, named)
            if problem:
                self.tally.error(inst.number, "bad application", problem)
            else:
                self.tally.add("bad inputs refused")
        sent = time.perf_counter()
        key = f"surge-{self.run}-{inst.number}"
        applied = c.expect(202, "POST", "/api/v1/applications", again=True,
                           json=inst.application,
                           headers={"Idempotency-Key": f"{key}-apply"}).json()
        self.tally.add("applied")
        # the status page's link, on whatever host the platform calls itself
        status_path = "/api/" + applied["status_url"].split("/api/", 1)[1]
        if inst.needs_review:
            wait_until(lambda: c.expect(200, "GET", status_path).json()["status"]
                       == "needs_review", self.options.timeout, "application in review")
            c.expect(200, "POST", f"/api/v1/applications/{applied['id']}/decision",
                     self.operator, again=True,
                     json={"decision": "approve",
                           "reason": "school confirmed by telephone"},
                     headers={"Idempotency-Key": f"{key}-decision"})
            self.tally.add("approved by an operator")
        active = wait_until(
            lambda: (a := c.expect(200, "GET", status_path).json())["status"]
            == "active" and a, self.options.timeout, "institution active")
        with self.tally.lock:
            self.tally.time_to_active.append(time.perf_counter() - sent)
        self.tally.add("active")
        return active["institution_id"]

    def import_roster(self, inst: Institution, institution_id: str,
                      roster: Roster) -> None:
        c = self.client
        path = f"/api/v1/institutions/{institution_id}/rosters"
        if inst.number % 7 == 2:  # a spreadsheet saved in its old encoding
            problem = refused_naming(c.request(
                "POST", path, self.operator, data=NOT_UTF8_ROSTER,
                headers={"Content-Type": "text/csv"}), 400, "file")
            if problem:
                self.tally.error(inst.number, "roster not in UTF-8", problem)
            else:
                self.tally.add("bad inputs refused")
        job = c.expect(202, "POST", path, self.operator, data=roster.body,
                       headers={"Content-Type": "text/csv"}).json()
        job = wait_until(
            lambda: (j := c.expect(200, "GET", job["url"], self.operator).json())
            ["status"] in ("done", "failed") and j, self.options.timeout,
            "roster imported")
        counted = {k: job[k] for k in ("imported", "duplicates", "rejected")}
        expected = {"imported": roster.imported, "duplicates": roster.duplicates,
                    "rejected": roster.rejected}
        if job["status"] != "done" or counted != expected:
            raise Failed(f"roster job {job['status']}: counted {counted}, "
                         f"expected {expected}")
        self.tally.add("roster imported")
        self.tally.add("roster rows", roster.imported + roster.duplicates
                       + roster.rejected)
        self.tally.add("rows refused", roster.rejected + roster.duplicates)

    def seat(self, inst: Institution, institution_id: str, roster: Roster) -> list[str]:
        """Waits for every imported learner to hold a seat or wait for one."""
        c = self.client
        path = f"/api/v1/institutions/{institution_id}/licence"
        licence = wait_until(
            lambda: (lic := c.expect(200, "GET", path, self.operator).json())
            ["seats_used"] + lic["seats_waiting"] == roster.imported and lic,
            self.options.timeout, "every learner seated or waiting")
        with self.tally.lock:
            self.seats.update(seated=licence["seats_used"],
                              waiting=licence["seats_waiting"],
                              granted=licence["seats_granted"])
        self.tally.add("seated", licence["seats_used"])
        return list(roster.emails[:min(self.options.active_learners,
                                       licence["seats_used"])])

    def progress(self, inst: Institution, emails: list[str]) -> None:
        if not emails or not self.courses:
            return
        c = self.client
        course = self.courses[inst.number % len(self.courses)]
        steps = [{"course_id": course["id"], "kind": "chapter_completed",
                  "chapter_id": ch["id"]} for ch in course["chapters"]]
        if course.get("quiz"):
            steps.append({"course_id": course["id"], "kind": "quiz_submitted",
                          "score": 80})
        for k, email in enumerate(emails):
            invitation = wait_until(lambda email=email: self.invitation(email),
                                    self.options.timeout,
                                    f"invitation to {email} in {self.mail_dir}")
            token = c.expect(200, "POST", f"/api/v1/invitations/{invitation}/accept",
                             json={"password": PASSWORD}).json()["access_token"]
            self.tally.add("learners active")
            for n, step in enumerate(steps[:self.options.records]):
                body = {**step, "id": f"s{self.run}-{inst.number}-{k}-{n}"}
                # tracking hears of the seat by an event: a record that comes first
                # is refused no_seat, and the learner's app tries again
                wait_until(lambda body=body, token=token: self.record(token, body),
                           self.options.timeout, "progress recorded")
                self.tally.add("progress recorded")
            if k == 0:
                wrong = {**steps[0], "kind": "quiz_submitted", "score": 250}
                answer = c.request("POST", "/api/v1/progress", token, again=True,
                                   json=wrong)
                problem = refused_naming(answer, 422, "score")
                if problem:
                    self.tally.error(inst.number, "bad progress record", problem)
                else:
                    self.tally.add("bad inputs refused")

    def record(self, token: str, body: dict) -> bool:
        answer = self.client.request("POST", "/api/v1/progress", token, again=True,
                                     json=body)
        if answer.status_code in (200, 201):
            return True
        if answer.status_code == 403 and answer.json().get("reason") == "no_seat":
            return False
        raise Failed(f"POST /api/v1/progress: {answer.status_code} "
                     f"{answer.text[:200]!r}")

    def invitation(self, email: str) -> str | None:
        for path in sorted(self.mail_dir.glob(f"{email}--*.eml")):
            message = message_from_bytes(path.read_bytes(), policy=policy.default)
            text = message.get_body(("plain",)).get_content()
            match = re.search(r"/invitations/([A-Za-z0-9_-]+)", text)
            if match:
                return match.group(1)
        return None

    # -- the whole surge --------------------------------------------------------------
    def arrivals(self) -> list[float]:
        """When each institution starts, in seconds: most in the first third of the
        window, as when campuses close on one announcement."""
        rng = random.Random(self.options.seed)
        window = self.options.minutes * 60
        return sorted(rng.triangular(0, window, window * 0.15)
                      for _ in range(self.options.institutions))

    def replay(self, show) -> None:
        """Runs every journey; ``show()`` redraws the live display."""
        arrivals = self.arrivals()
        with ThreadPoolExecutor(self.options.concurrency) as pool:
            futures = []
            for number, at in enumerate(arrivals):
                while time.perf_counter() - self.tally.started < at:
                    show()
                    time.sleep(min(0.2, at - (time.perf_counter() - self.tally.started)
                                   + 0.001))
                futures.append(pool.submit(self.journey, number))
            while not all(f.done() for f in futures):
                show()
                time.sleep(0.2)
        show()


# -- the report ------------------------------------------------------------------------
def percentiles(values: list[float]) -> dict:
    if not values:
        return {"count": 0}
    ordered = sorted(values)

    def at(p: float) -> float:
        k = (len(ordered) - 1) * p
        low = int(k)
        high = min(low + 1, len(ordered) - 1)
        return round(ordered[low] + (ordered[high] - ordered[low]) * (k - low), 3)

    return {"count": len(ordered), "p50": at(0.5), "p90": at(0.9), "p99": at(0.99),
            "max": round(ordered[-1], 3)}


def report(surge: Surge, seconds: float, platform_view: dict | None) -> dict:
    tally = surge.tally
    counts = tally.counts
    return {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "url": surge.client.url,
        "options": surge.options.__dict__,
        "seconds": round(seconds, 2),
        "status_asked_every_seconds": POLL_SECONDS,
        "institutions": {"planned": surge.options.institutions,
                         "applied": counts["applied"], "active": counts["active"],
                         "approved_by_an_operator": counts["approved by an operator"],
                         "rosters_imported": counts["roster imported"]},
        "time_to_active_seconds": {
            "seen_by_institutions": percentiles(tally.time_to_active),
            "measured_by_the_platform": (platform_view or {}).get(
                "time_to_active_seconds")},
        "seats": {"granted": surge.seats["granted"], "seated": surge.seats["seated"],
                  "waiting": surge.seats["waiting"]},
        "roster_rows": {"read": counts["roster rows"],
                        "refused": counts["rows refused"]},
        "progress_records": counts["progress recorded"],
        "learners_active": counts["learners active"],
        "throughput_per_second": {
            "applications": round(counts["applied"] / seconds, 2),
            "learners_seated": round(counts["seated"] / seconds, 2),
            "progress_records": round(counts["progress recorded"] / seconds, 2),
            "requests": round(sum(tally.requests.values()) / seconds, 2)},
        "requests_by_status": dict(sorted(tally.requests.items())),
        "bad_inputs_refused": counts["bad inputs refused"],
        "rate_limited": {"answers": counts["rate limited"],
                         "seconds_waited": round(tally.waited["rate limited"], 1)},
        "unavailable_asked_again": {"answers": counts["unavailable"],
                                    "seconds_waited": round(tally.waited["unavailable"],
                                                            1)},
        "errors": tally.errors,
    }


def plot(surge: Surge, out: Path) -> list[Path]:
    """Two PNGs: the surge over time, and time to active. Returns the files written."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    written = []
    over_time = out / "surge-over-time.png"
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 6.5), dpi=110, sharex=True)
    for what, colour in (("applied", "#7a869a"), ("active", "#21409a"),
                         ("roster imported", "#2e7d32")):
        times, total = cumulative(surge.tally.events, what)
        top.step(times, total, where="post", color=colour, label=what)
    top.set_ylabel("institutions")
    top.legend(loc="upper left")
    top.grid(alpha=0.3)
    for what, colour in (("seated", "#21409a"), ("progress recorded", "#b35c00")):
        times, total = cumulative(surge.tally.events, what)
        bottom.step(times, total, where="post", color=colour, label=what)
    bottom.set_xlabel("seconds since the surge began")
    bottom.set_ylabel("learners seated, records")
    bottom.legend(loc="upper left")
    bottom.grid(alpha=0.3)
    fig.suptitle(f"Surge: {surge.options.institutions} institutions over "
                 f"{surge.options.minutes:g} min")
    fig.tight_layout()
    fig.savefig(over_time)
    plt.close(fig)
    written.append(over_time)

    tta = out / "time-to-active.png"
    fig, ax = plt.subplots(figsize=(8, 4), dpi=110)
    values = surge.tally.time_to_active
    ax.hist(values or [0], bins=min(30, max(5, len(values) // 3)), color="#21409a")
    for name, value in percentiles(values).items():
        if name in ("p50", "p99"):
            ax.axvline(value, color="#b35c00", linestyle="--", linewidth=1)
            ax.annotate(f"{name} {value:.2f} s", (value, ax.get_ylim()[1] * 0.9),
                        rotation=90, va="top", ha="right", fontsize=8)
    ax.set_xlabel("seconds from applying to an active licence")
    ax.set_ylabel("institutions")
    ax.set_title("Time to active, as the institutions saw it")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(tta)
    plt.close(fig)
    written.append(tta)
    return [path for path in written if path.exists()]


def cumulative(events: list[tuple[float, str, int]], what: str):
    times, totals, total = [0.0], [0], 0
    for t, kind, n in events:
        if kind == what:
            total += n
            times.append(t)
            totals.append(total)
    return times, totals


# -- the command -----------------------------------------------------------------------
def operator_login(args) -> tuple[str, str]:
    email = args.operator_email or os.environ.get("OPERATOR_EMAIL", "")
    password = args.operator_password or os.environ.get("OPERATOR_PASSWORD", "")
    secrets_file = args.var_dir / "development-secrets.json"
    if not (email and password) and secrets_file.exists():
        made = json.loads(secrets_file.read_text())
        email = email or made["OPERATOR_EMAIL"]
        password = password or made["OPERATOR_PASSWORD"]
    if not (email and password):
        raise SystemExit("continuity-surge: no operator login: give --operator-email "
                         "and --operator-password (or OPERATOR_EMAIL and "
                         "OPERATOR_PASSWORD), or --var-dir of a `make run` "
                         f"({secrets_file} not found)")
    return email, password


def catalogue(client: Client) -> list[dict]:
    listed = client.expect(200, "GET", "/api/v1/courses", params={"limit": 100}).json()
    return [client.expect(200, "GET", f"/api/v1/courses/{c['id']}").json()
            for c in listed["items"][:10]]


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="continuity-surge", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:8000",
                        help="the platform's address (default: %(default)s)")
    parser.add_argument("--institutions", type=int, default=20)
    parser.add_argument("--minutes", type=float, default=1.0,
                        help="the window over which institutions arrive")
    parser.add_argument("--learners", type=int, default=30,
                        help="rows in each institution's roster")
    parser.add_argument("--active-learners", type=int, default=2,
                        help="learners per institution who sign in and record progress")
    parser.add_argument("--records", type=int, default=4,
                        help="progress records each active learner sends")
    parser.add_argument("--concurrency", type=int, default=32,
                        help="institutions in progress at once, at most")
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="seconds one step may take before it is an error")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--var-dir", type=Path,
                        default=Path(os.environ.get("VAR_DIR", "var")),
                        help="the platform's VAR_DIR: its e-mails (mail/) and, in "
                             "development mode, the operator's login")
    parser.add_argument("--operator-email")
    parser.add_argument("--operator-password")
    parser.add_argument("--out", type=Path,
                        help="where the report and plots go (default: "
                             "VAR_DIR/surge/<time>)")
    args = parser.parse_args(argv)
    for name in ("institutions", "minutes", "learners", "concurrency", "timeout"):
        if getattr(args, name) <= 0:
            parser.error(f"--{name.replace('_', '-')} must be above 0")
    for name in ("active_learners", "records"):
        if getattr(args, name) < 0:
            parser.error(f"--{name.replace('_', '-')} may not be negative")
    return args


def main(argv: list[str] | None = None) -> int:
    try:
        from .display import LiveDisplay
    except ImportError as exc:  # the development install has them; an image does not
        print(f"continuity-surge needs the development install (make install): {exc}",
              file=sys.stderr)
        return 2
    args = parse(argv)
    options = Options(args.institutions, args.minutes, args.learners,
                      args.active_learners, args.records, args.concurrency,
                      args.timeout, args.seed)
    tally = Tally()
    client = Client(args.url, tally)
    email, password = operator_login(args)
    try:
        login = client.request("POST", "/api/v1/auth/token",
                               json={"email": email, "password": password})
        courses = catalogue(client)
    except Failed as exc:
        print(f"continuity-surge: cannot reach the platform at {args.url}: {exc}",
              file=sys.stderr)
        return 2
    if login.status_code != 200:
        print(f"continuity-surge: the operator login {email} was refused "
              f"({login.status_code})", file=sys.stderr)
        return 2
    operator = login.json()["access_token"]
    mail_dir = args.var_dir / "mail"
    out = args.out or args.var_dir / "surge" / datetime.now(UTC).strftime(
        "%Y%m%dT%H%M%SZ")
    out.mkdir(parents=True, exist_ok=True)

    surge = Surge(client, operator, mail_dir, options, courses)
    tally.started = time.perf_counter()
    with LiveDisplay(surge) as display:
        surge.replay(display.show)
    seconds = time.perf_counter() - tally.started
    view = client.request("GET", "/api/v1/surge", operator)
    figures = report(surge, seconds, view.json() if view.status_code == 200 else None)
    report_path = out / "report.json"
    report_path.write_text(json.dumps(figures, indent=2, ensure_ascii=False))
    pictures = plot(surge, out)
    LiveDisplay.summary(figures, [report_path, *pictures])
    return 1 if figures["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
