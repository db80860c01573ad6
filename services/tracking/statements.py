"""xAPI statements as progress: which statements the LRS stored are learning facts of
the catalogue, whose, and the progress record each one is (decision 0059).

A statement is a learning fact when its verb is one of four ADL verbs, its object is
a course or a chapter of the catalogue by its IRI under ``PUBLIC_URL``, and its actor
is a learner of the statement's institution (by the platform's account or by the
e-mail address tracking has for them). It becomes the very record
``POST /api/v1/progress`` takes, with a client id made of the statement's id, and goes
through ``progress.record_batch`` like the API's: the same gate, the same sets of
chapters done and skills, once. Any other statement changes nothing here.

Plain code: ``claim_of`` reads one statement (no database); ``records_of`` resolves a
batch's learners and pass marks on a Session. No nameko here.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime

from marshmallow import ValidationError
from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from . import progress
from .contracts import rpc as schemas
from .contracts.errors import Forbidden, Invalid
from .models import Course, Learner
from .progress import Announced, Recorded

ADL = "http://adlnet.gov/expapi/verbs/"
COMPLETED, PASSED, FAILED, EXPERIENCED = (
    ADL + verb for verb in ("completed", "passed", "failed", "experienced"))

# where the catalogue's activities live: what a course player puts in object.id
COURSES_PATH = "/catalogue/courses/"
# a course's or chapter's id in a path: the catalogue's ids are slugs, so anything
# else (a query, a fragment, a percent-encoding) names no activity of the catalogue
SEGMENT = re.compile(r"[A-Za-z0-9._~-]+")
CLIENT_ACCOUNT = "lrs-client:"  # the authority's account name of an LRS client
CLIENT = "client"  # a Claim's sender when an LRS client stored it

PROGRESS_REQUEST = schemas.ProgressRequest()


def course_iri(public_url: str, course_id: str) -> str:
    return f"{public_url}{COURSES_PATH}{course_id}"


def chapter_iri(public_url: str, course_id: str, chapter_id: str) -> str:
    return f"{course_iri(public_url, course_id)}/chapters/{chapter_id}"


@dataclass(frozen=True)
class Claim:
    """What a statement says about the catalogue, before its learner is found."""

    actor: tuple[str, str]  # ("account", learner id) or ("mbox", lower-case e-mail)
    sender: str | None  # CLIENT, the learner whose token stored it, or None: unknown
    verb: str
    request: dict  # the progress record, without its id


@dataclass(frozen=True)
class Skipped:
    """A statement that records nothing; ``reason`` is the metrics' label.
    ``refused``: a learning fact of the catalogue that may not be credited (whose
    learner is unknown here, …), not merely a statement about something else."""

    reason: str
    refused: bool = False


def activity_of(iri: str, public_url: str) -> tuple[str, str | None] | None:
    """``(course_id, chapter_id or None)`` of a catalogue IRI, else None.

    Compared exactly, as xAPI compares activity ids: no query, no fragment, no
    trailing slash (each would be another activity for any LRS client)."""
    prefix = public_url + COURSES_PATH
    if not iri.startswith(prefix):
        return None
    parts = iri[len(prefix):].split("/")
    if not all(SEGMENT.fullmatch(part) for part in parts):
        return None
    if len(parts) == 1:
        return parts[0], None
    if len(parts) == 3 and parts[1] == "chapters":
        return parts[0], parts[2]
    return None


def actor_of(actor: dict, public_url: str) -> tuple[str, str] | None:
    """The learner an Agent names: the platform's account (what a learner's token
    makes the authority) or a ``mailto:`` address. A Group is nobody's progress."""
    if actor.get("objectType", "Agent") != "Agent":
        return None
    account = actor.get("account")
    if account is not None:
        home, name = account.get("homePage", "").rstrip("/"), account.get("name")
        if home == public_url and name:
            return "account", name
        return None
    mbox = actor.get("mbox", "")
    if mbox.lower().startswith("mailto:") and len(mbox) > 7:
        return "mbox", mbox[7:].lower()  # roster e-mails are kept in lower case
    return None


def sender_of(authority: dict | None, public_url: str) -> str | None:
    """Who stored the statement, from the authority the gateway writes (decision
    0052): ``CLIENT`` for an institution's LRS client, else the learner id whose
    bearer token it was; None for an authority that is neither (fail closed: such a
    statement credits nobody)."""
    account = (authority or {}).get("account") or {}
    name = account.get("name", "")
    if account.get("homePage", "").rstrip("/") != public_url or not name:
        return None
    return CLIENT if name.startswith(CLIENT_ACCOUNT) else name


def score_of(result: dict | None) -> int | None:
    """``result.score`` as the 0-100 a quiz score is: ``scaled`` (-1..1, a negative
    one is 0), else ``raw`` within ``min``..``max``; None without either."""
    score = (result or {}).get("score") or {}
    if "scaled" in score:
        fraction = score["scaled"]
    elif {"raw", "min", "max"} <= score.keys() and score["max"] > score["min"]:
        fraction = (score["raw"] - score["min"]) / (score["max"] - score["min"])
    else:
        return None
    return round(min(max(fraction, 0.0), 1.0) * 100)


def claim_of(statement: dict, public_url: str) -> Claim | Skipped:
    """The progress record a statement claims, or why it claims none.

    - completed, passed or experienced a chapter → ``chapter_completed`` (a chapter
      is a text to read: having experienced it is having done it);
    - completed a course → ``course_completed`` (every chapter; the final quiz still
      has to be passed, as through the API);
    - passed or failed a course, with a score → ``quiz_submitted`` with that score;
    - anything else (failed a chapter, experienced a course, other verbs, objects
      outside the catalogue, a voiding statement, a sub-statement) → nothing.
    """
    verb = (statement.get("verb") or {}).get("id")
    if verb not in (COMPLETED, PASSED, FAILED, EXPERIENCED):
        return Skipped("verb")
    target = statement.get("object") or {}
    if target.get("objectType", "Activity") != "Activity":
        return Skipped("object")
    activity = activity_of(target.get("id", ""), public_url)
    if activity is None:
        return Skipped("object")
    actor = actor_of(statement.get("actor") or {}, public_url)
    if actor is None:
        return Skipped("actor")
    course_id, chapter_id = activity
    if chapter_id is not None:
        if verb == FAILED:
            return Skipped("verb")
        request = {"course_id": course_id, "kind": "chapter_completed",
                   "chapter_id": chapter_id}
    elif verb == COMPLETED:
        request = {"course_id": course_id, "kind": "course_completed"}
    elif verb in (PASSED, FAILED):
        score = score_of(statement.get("result"))
        if score is None:
            return Skipped("no_score")
        request = {"course_id": course_id, "kind": "quiz_submitted", "score": score}
    else:
        return Skipped("verb")
    return Claim(actor, sender_of(statement.get("authority"), public_url), verb,
                 request)


def progress_id(institution_id: str, statement_id: str) -> str:
    """The progress record's client id: the statement's id, so that an event
    delivered again is a duplicate; with a digest of the institution, since a
    statement id is unique per institution only (decision 0051) and another
    institution's statement must never take this one's record."""
    digest = hashlib.sha256(institution_id.encode()).hexdigest()[:12]
    return f"xapi:{statement_id.lower()}:{digest}"


def sorted_out(statements: list[dict], public_url: str,
               ) -> tuple[list[tuple[dict, Claim]], dict[str, int]]:
    """The statements that claim a learning fact, each with its claim, and how many
    of the others claim nothing, by reason: what a consumer sorts out of an event
    before it opens a transaction (most statements are none of its business)."""
    facts: list[tuple[dict, Claim]] = []
    skipped: dict[str, int] = {}
    for statement in statements:
        claim = claim_of(statement, public_url)
        if isinstance(claim, Claim):
            facts.append((statement, claim))
        else:
            skipped[claim.reason] = skipped.get(claim.reason, 0) + 1
    return facts, skipped


def records_of(
    session: Session, statements: list[tuple[str, dict]], public_url: str,
    claims: list[Claim | Skipped] | None = None,
) -> list[tuple[str, dict] | Skipped]:
    """For each ``(institution_id, statement)``: ``(learner_id, progress request)``
    for ``progress.record_batch``, or why it records nothing. Three reads for the
    batch: learners by id, learners by e-mail, the failed courses' pass marks.
    ``claims``: the statements' ``claim_of``, when the caller has them already."""
    if claims is None:
        claims = [claim_of(statement, public_url) for _, statement in statements]
    wanted = [(inst, c) for (inst, _), c in zip(statements, claims, strict=True)
              if isinstance(c, Claim)]
    ids = sorted({c.actor[1] for _, c in wanted if c.actor[0] == "account"})
    mails = sorted({(inst, c.actor[1]) for inst, c in wanted if c.actor[0] == "mbox"})
    by_id = {row.id: row.institution_id for row in session.execute(
        select(Learner.id, Learner.institution_id).where(Learner.id.in_(ids)))} \
        if ids else {}
    by_mail: dict[tuple[str, str], list[str]] = {}
    if mails:
        for row in session.execute(
                select(Learner.id, Learner.institution_id, Learner.email).where(
                    tuple_(Learner.institution_id, Learner.email).in_(mails))):
            by_mail.setdefault((row.institution_id, row.email), []).append(row.id)
    failed = sorted({c.request["course_id"] for _, c in wanted if c.verb == FAILED})
    pass_marks = {row.id: row.pass_mark for row in session.execute(
        select(Course.id, Course.pass_mark).where(Course.id.in_(failed)))} \
        if failed else {}

    out: list[tuple[str, dict] | Skipped] = []
    for (institution_id, statement), claim in zip(statements, claims, strict=True):
        if isinstance(claim, Skipped):
            out.append(claim)
            continue
        kind, value = claim.actor
        if kind == "account":
            # never across institutions: a learner id of another one is nobody here
            learner_id = value if by_id.get(value) == institution_id else None
        else:
            found = by_mail.get((institution_id, value), [])
            learner_id = found[0] if len(found) == 1 else None
        if learner_id is None:
            out.append(Skipped("unknown_learner", refused=True))
            continue
        if claim.sender is None:
            out.append(Skipped("unknown_authority", refused=True))
            continue
        if claim.sender != CLIENT and claim.sender != learner_id:
            # a learner's token may store statements about anyone (xAPI allows it),
            # but credits no one else: only an institution's client speaks for others
            out.append(Skipped("not_the_sender", refused=True))
            continue
        mark = pass_marks.get(claim.request["course_id"])
        if claim.verb == FAILED and mark is not None and claim.request["score"] >= mark:
            # the player says failed, its score would pass here: a "failed" never
            # completes anything, and the score alone is not the fact it states
            out.append(Skipped("failed_at_pass_mark", refused=True))
            continue
        request = {"id": progress_id(institution_id, statement["id"]), **claim.request}
        try:
            out.append((learner_id, PROGRESS_REQUEST.load(request)))
        except ValidationError:  # an IRI naming an id no course could have
            out.append(Skipped("unknown_course", refused=True))
    return out


@dataclass(frozen=True)
class Credited:
    """What a batch of statements did: per statement, in order, its ``Recorded``
    outcome (new or duplicate), or ``Skipped``; and what the records announce."""

    outcomes: list[Recorded | Skipped]
    announced: Announced

    def counts(self) -> dict[tuple[str, str], int]:
        """``(outcome, reason)`` → statements, the metrics' labels."""
        counted: dict[tuple[str, str], int] = {}
        for o in self.outcomes:
            key = (("refused" if o.refused else "ignored", o.reason)
                   if isinstance(o, Skipped)
                   else ("duplicate" if o.duplicate else "recorded", ""))
            counted[key] = counted.get(key, 0) + 1
        return counted


def credit(session: Session, statements: list[tuple[str, dict]], public_url: str,
           now: datetime, claims: list[Claim | Skipped] | None = None) -> Credited:
    """Record the learning facts among ``(institution_id, statement)`` as the API
    records progress (``progress.record_batch``: one gate, the same sets); a record
    the gate refuses becomes a refused ``Skipped`` with the refusal's reason.
    ``claims``: as ``records_of`` takes them."""
    mapped = records_of(session, statements, public_url, claims)
    items = [m for m in mapped if not isinstance(m, Skipped)]
    recorded = iter(progress.record_batch(session, items, now))
    outcomes: list[Recorded | Skipped] = []
    for m in mapped:
        if isinstance(m, Skipped):
            outcomes.append(m)
            continue
        outcome = next(recorded)
        outcomes.append(Skipped(refusal_reason(outcome), refused=True)
                        if isinstance(outcome, (Forbidden, Invalid)) else outcome)
    return Credited(outcomes, progress.announced(
        [o for o in outcomes if isinstance(o, Recorded)]))


def refusal_reason(error: Forbidden | Invalid) -> str:
    """The metrics' label of a record ``record_batch`` refused."""
    if isinstance(error, Forbidden):
        return error.code
    if "chapter_id" in error.errors:
        return "unknown_chapter"
    if "course_id" in error.errors:
        return "unknown_course"
    if "kind" in error.errors:
        return "no_quiz"
    return "invalid"
