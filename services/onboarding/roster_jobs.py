"""Roster imports as jobs: a file checked at once, imported in batches (inline when
small, else by whichever process takes it from the work queue), a big file in parts
side by side, and the job its uploader follows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from services.common.bulk import insert_ignore_returning
from services.common.ids import new_id, new_ids

from . import roster
from .contracts.events import primary_language
from .contracts.errors import Conflict, Invalid, NotFound, TooLarge
from .invitations import Invite, new_invitations
from .models import Institution, Member, RosterJob, RosterPart

ROSTER_BATCH = 1000
PART_ROWS = 10_000  # a bigger file is imported in parts of this many rows, side by side
MAX_ROSTER_ROWS = 100_000
MAX_WORKBOOK_CHARS = 20 * 1024 * 1024  # a workbook's CSV: no more than a CSV upload
MAX_ERRORS = 100


def roster_institution(session: Session, institution_id: str):
    """What an import reads of its institution (id, status, name, country, languages):
    one row of five columns; the ORM's whole institution cost an upload more CPU."""
    t = Institution.__table__
    institution = session.execute(
        select(t.c.id, t.c.status, t.c.name, t.c.country, t.c.languages)
        .where(t.c.id == institution_id)
    ).first()
    if institution is None:
        raise NotFound("institution not found")
    return institution


def create_roster_job(
    session: Session, institution_id: str, content: str, filename: str | None,
    *, now: datetime,
) -> RosterJob:
    institution = roster_institution(session, institution_id)
    return _new_roster_job(session, institution, content, filename, now)[0]


def _new_roster_job(
    session: Session, institution, content: str, filename: str | None, now: datetime
) -> tuple[RosterJob, int]:
    """A queued job for a file checked at once; and the most data rows it can hold
    (its lines but the header: fewer if quoted fields hold newlines)."""
    if institution.status != "active":
        raise Conflict("the institution is not active yet: its licence is being issued")
    if "\x00" in content:  # UTF-16, a spreadsheet's binary: no database stores it
        raise roster.RosterFormatError(
            "the file contains NUL characters: save it as CSV (UTF-8), send it again")
    header = content.removeprefix("\ufeff")
    roster.detect_format(roster.header_of(header)[1])  # refuse a wrong file at once
    rows = content.count("\n") + (not content.endswith("\n")) - 1
    if rows > MAX_ROSTER_ROWS:
        raise TooLarge(f"a roster may hold {MAX_ROSTER_ROWS:,} rows; this file has "
                       f"about {rows:,}: split it into several files")
    job = _queued_job(institution.id, content, filename, now)
    job.rows_total = max(rows, 0)
    session.add(job)
    return job, rows


def _queued_job(
    institution_id: str, content: str, filename: str | None, created_at: datetime,
    next_offset: int = 0, next_line: int = 0,
) -> RosterJob:
    """A job with nothing imported yet, to read from ``next_offset`` (0: the start)."""
    return RosterJob(
        id=new_id(), institution_id=institution_id, status="queued",
        content=content, filename=filename, errors=[], rows_read=0, imported=0,
        duplicates=0, rejected=0, next_row=0, next_offset=next_offset,
        next_line=next_line, created_at=created_at,
    )


def start_roster_job(
    session: Session, institution_id: str, content: str, filename: str | None,
    lease: timedelta, inline: bool = True, *, now: datetime,
) -> tuple[RosterJob, BatchResult | None]:
    """A new import job; a file shorter than a batch is imported at once, in the same
    transaction (the job is done when the upload is answered).

    In a surge most rosters are a class or two: queueing each one, claiming it and
    reading the file back cost more than importing it.
    """
    institution = roster_institution(session, institution_id)
    job, rows = _new_roster_job(session, institution, content, filename, now)
    # fewer rows than a batch, so the first batch finishes the file (a file of
    # exactly ROSTER_BATCH rows learns it is finished only from an empty second batch)
    if not inline or rows >= ROSTER_BATCH:
        if rows > PART_ROWS:
            _split(session, job)
        return job, None
    job.status = "running"
    return job, _import_batch(session, job, institution, lease, open_cursor(job),
                              now)


def _split(session: Session, job: RosterJob) -> None:
    """Cut a big file into parts of PART_ROWS rows: the job keeps the first, each
    other becomes a queued job of its own (the header, then its rows; its cursor
    starts after the header and counts lines as the file does, so errors name the
    file's lines)."""
    text = job.content
    starts = roster.split(text, PART_ROWS)
    if not starts:
        return
    header = text[:text.find("\n") + 1]
    ends = [offset for offset, _ in starts[1:]] + [len(text)]
    for number, ((start, lines_before), end) in enumerate(
            zip(starts, ends, strict=True), 1):
        part = _queued_job(job.institution_id, header + text[start:end], job.filename,
                           job.created_at, len(header), lines_before)
        session.add(part)
        session.add(RosterPart(job_id=job.id, part=number, part_job_id=part.id))
    job.content = text[:starts[0][0]]


def parts_of(session: Session, job_id: str) -> list[RosterJob]:
    """The jobs of a file's other parts, in file order (none for most files)."""
    return list(session.scalars(
        select(RosterJob).join(RosterPart, RosterPart.part_job_id == RosterJob.id)
        .where(RosterPart.job_id == job_id).order_by(RosterPart.part)
    ))


@dataclass(frozen=True)
class RosterProgress:
    """A file imported in parts, as one job: its counts are theirs added up."""

    id: str
    institution_id: str
    status: str
    rows_read: int
    rows_total: int | None
    imported: int
    duplicates: int
    rejected: int
    errors: list
    created_at: datetime
    finished_at: datetime | None


def progress(job: RosterJob, parts: list[RosterJob]) -> RosterJob | RosterProgress:
    if not parts:
        return job
    every = [job, *parts]
    statuses = {j.status for j in every}
    if "failed" in statuses:
        status = "failed"
    elif len(statuses) == 1:
        status = statuses.pop()  # all queued, all running or all done
    else:
        status = "running"
    errors = sorted((e for j in every for e in j.errors), key=lambda e: e["line"] or 0)
    imported, duplicates, rejected = (
        sum(getattr(j, name) for j in every)
        for name in ("imported", "duplicates", "rejected"))
    return RosterProgress(
        job.id, job.institution_id, status,
        sum(j.rows_read for j in every), job.rows_total,  # the file's job counts all
        imported, duplicates, rejected,
        errors[:MAX_ERRORS], job.created_at,
        max(j.finished_at for j in every) if status in ("done", "failed")
        and all(j.finished_at for j in every) else None,
    )


def claim_roster_job(
    session: Session, lease: timedelta, job_id: str | None = None, *, now: datetime
) -> RosterJob | None:
    """Take a queued job, or a running one whose worker stopped renewing its lease.

    With ``job_id``, only that job (the work queue names it); otherwise the oldest.
    """
    query = (
        select(RosterJob)
        .where(RosterJob.status.in_(("queued", "running")))
        .where(or_(RosterJob.lease_until.is_(None), RosterJob.lease_until < now))
        .order_by(RosterJob.created_at)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    if job_id is not None:
        query = query.where(RosterJob.id == job_id)
    candidate = session.scalars(query).first()
    if candidate is None:
        return None
    candidate.status = "running"
    candidate.lease_until = now + lease
    return candidate


@dataclass(frozen=True)
class BatchResult:
    """A committed batch of a roster import; ``learners.enrolled.v1`` when it
    enrolled any, the file's job (``job_id``) as its ``import_job_id``."""

    job_id: str
    institution_id: str
    learners: list[dict]
    invites: list[Invite]
    done: bool
    cursor: roster.RosterCursor | None = None
    institution_name: str = ""

    @property
    def import_job_id(self) -> str:
        return self.job_id

    @property
    def language(self) -> str:
        """The invitations' one language: their institution's."""
        return self.invites[0].language

    def recipients(self) -> list[dict]:
        """The invitations' mail merge rows: address, first name, link's token."""
        names = {learner["learner_id"]: learner["first_name"]
                 for learner in self.learners}
        return [{"to": invite.email, "first_name": names[invite.member_id],
                 "token": invite.token} for invite in self.invites]


@dataclass(frozen=True)
class RosterStarted:
    """An upload's job (as its uploader sees it), its batch when the file was small
    enough to import at once, and the jobs to put on the work queue (the file's and
    its other parts', once committed)."""

    job: RosterJob
    batch: BatchResult | None
    queued: tuple[str, ...]


def workbook_text(data: bytes) -> str:
    """An uploaded .xlsx as the CSV text a job reads and resumes over (decision 43);
    a workbook that cannot be read is ``Invalid``."""
    try:
        # a CSV of more rows or more characters than an upload may hold is refused
        # all the same by the job's own checks: reading further would only cost
        return roster.xlsx_text(data, MAX_ROSTER_ROWS, MAX_WORKBOOK_CHARS)
    except roster.RosterFormatError as exc:
        raise Invalid({"file": [str(exc)]}) from None


def start_roster_import(
    session: Session, institution_id: str, content: str, filename: str | None,
    lease: timedelta, inline: bool = True, *, now: datetime,
) -> RosterStarted:
    """``start_roster_job``, a file that cannot be read refused as ``Invalid``."""
    try:
        job, batch = start_roster_job(session, institution_id, content, filename,
                                      lease, inline, now=now)
    except roster.RosterFormatError as exc:
        raise Invalid({"file": [str(exc)]}) from None
    queued = () if job.status != "queued" else (
        job.id, *(part.id for part in parts_of(session, job.id)))
    return RosterStarted(job, batch, queued)


def import_next_batch(
    session: Session, job_id: str, lease: timedelta,
    cursor: roster.RosterCursor | None = None, *, now: datetime,
) -> BatchResult:
    """Import the next batch of a job's rows (``ROSTER_BATCH``); counts, position and
    learners commit together.

    Pass the ``cursor`` of the previous batch to avoid reloading the file each time.
    """
    job = session.get(RosterJob, job_id, with_for_update=True)
    if job.status in ("done", "failed"):  # finished meanwhile by a worker that took over
        return BatchResult(job.id, job.institution_id, [], [], True)
    if cursor is None or cursor.offset != job.next_offset:  # another worker moved it
        cursor = open_cursor(job)
    institution = roster_institution(session, job.institution_id)
    # a part of a big file: its learners are announced as the file's (the job its
    # uploader follows)
    file_job_id = session.scalar(
        select(RosterPart.job_id).where(RosterPart.part_job_id == job.id))
    return _import_batch(session, job, institution, lease, cursor, now, file_job_id)


def _import_batch(
    session: Session, job: RosterJob, institution, lease: timedelta,
    cursor: roster.RosterCursor, now: datetime, file_job_id: str | None = None,
) -> BatchResult:
    file_job_id = file_job_id or job.id
    language = primary_language(institution.languages, institution.country)
    rows = cursor.take(ROSTER_BATCH)
    finished = len(rows) < ROSTER_BATCH
    learners: dict[str, dict] = {}  # by e-mail: the first row of each
    errors = list(job.errors)
    rejected = duplicates = 0
    for row in rows:
        if row.learner is None:
            rejected += 1
            if len(errors) < MAX_ERRORS:
                errors.append({"line": row.line, "column": row.column, "reason": row.reason})
        elif row.learner["email"] in learners:
            duplicates += 1
        else:
            learners[row.learner["email"]] = row.learner
    member_ids = new_ids(len(learners))
    tokens: dict[str, str] = {}  # member id → its invitation's token
    candidates: dict[str, dict] = {}
    invitations = new_invitations(member_ids, now)
    for member_id, (email, learner), (token, invitation) in zip(
            member_ids, learners.items(), invitations, strict=True):
        tokens[member_id] = token
        candidates[email] = {
            "id": member_id, "institution_id": job.institution_id, "role": "learner",
            "import_job_id": file_job_id, "created_at": now, **learner, **invitation,
        }
    # in e-mail order: parts of one file importing side by side wait for each other
    # on an address they share always in the same order, so they never deadlock
    inserted_ids = insert_ignore_returning(session, Member.__table__, sorted(
        candidates.values(), key=lambda c: c["email"]), "id", expect_new=True)
    inserted = [c for c in candidates.values() if c["id"] in inserted_ids]  # file order
    duplicates += len(candidates) - len(inserted)
    invites = [Invite(m["id"], m["email"], tokens[m["id"]], language) for m in inserted]
    job.rows_read += len(rows)
    job.next_row += len(rows)
    job.next_offset, job.next_line = cursor.offset, cursor.line
    job.imported += len(inserted)
    job.duplicates += duplicates
    job.rejected += rejected
    job.errors = errors
    job.lease_until = now + lease
    if finished:
        job.status = "done"
        job.finished_at = now
        job.content = ""  # the file is not kept once imported
    learners = [
        {
            "learner_id": m["id"], "email": m["email"], "first_name": m["first_name"],
            "last_name": m["last_name"], "cohort": m["cohort"],
            "external_id": m["external_id"],
        }
        for m in inserted
    ]
    return BatchResult(file_job_id, job.institution_id, learners, invites, finished,
                       cursor, institution.name)


def get_roster_job(
    session: Session, institution_id: str, job_id: str
) -> RosterJob | RosterProgress:
    """A roster import as its uploader sees it: the whole file, whatever its parts."""
    job = session.get(RosterJob, job_id)
    if job is None or job.institution_id != institution_id:
        raise NotFound("roster import not found")
    return progress(job, parts_of(session, job.id))


def list_roster_jobs(
    session: Session, institution_id: str, limit: int = 20
) -> list[RosterJob | RosterProgress]:
    """The institution's latest imports, newest first: each file once, whatever its
    parts (a part's job is not an import of its own)."""
    parts = select(RosterPart.part_job_id)
    jobs = session.scalars(
        select(RosterJob)
        .where(RosterJob.institution_id == institution_id)
        .where(RosterJob.id.not_in(parts))
        .order_by(RosterJob.created_at.desc())
        .limit(limit)
    ).all()
    return [progress(job, parts_of(session, job.id)) for job in jobs]


def mark_job_failed(
    session: Session, job_id: str, reason: str, *, now: datetime
) -> None:
    session.execute(
        update(RosterJob).where(RosterJob.id == job_id).values(
            status="failed", finished_at=now,
            errors=[{"line": None, "column": None, "reason": reason}],
        )
    )



def open_cursor(job: RosterJob) -> roster.RosterCursor:
    return roster.RosterCursor(job.content, job.next_offset or 0, job.next_line or 0)
