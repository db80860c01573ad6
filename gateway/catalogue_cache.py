"""The catalogue readers can reach, in this gateway process, kept fresh by its events.

Catalogue reads (search, course pages, skills, paths) are answered from here, without
a round trip to the catalog service:

- at start, and every ``RELOAD_SECONDS`` as a safety net, the whole catalogue is loaded
  over RPC (``catalog.catalogue_snapshot``);
- every gateway process hears every course event (a BROADCAST handler: one exclusive,
  auto-deleted queue per process and event type, no reliable delivery — a process
  that was away reloads instead of replaying) and applies it at once: a retired course
  leaves search within the event's latency. The course's full page (quiz questions)
  is then fetched over RPC, since events do not carry it;
- an event that does not fit (an update or a retirement of a course this process has
  never seen) reveals a gap: the whole catalogue is reloaded.

Events may come in any order across the three queues: each course keeps the
``updated_at`` of what it shows, and an older fact changes nothing.

Responses are rendered once per catalogue version and query (``memo``), with a strong
ETag (a digest of the exact bytes) and ``Cache-Control: public, max-age=60``; a
matching ``If-None-Match`` gets 304.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import eventlet
from eventlet.semaphore import Semaphore
from nameko.events import BROADCAST
from nameko.extensions import DependencyProvider
from nameko.timer import timer
from prometheus_client import Counter, Gauge
from werkzeug.wrappers import Response

from services.catalog.contracts.errors import NotFound
from services.catalog.contracts.events import (
    COURSE_PUBLISHED_V1,
    COURSE_RETIRED_V1,
    COURSE_UPDATED_V1,
)
from services.catalog.contracts.search import Index, parse_query
from services.common.events import consume

from .errors import RpcTimeout

log = logging.getLogger(__name__)

RELOAD_SECONDS = 60.0  # the safety net: a full reload at least this often
# How often the timer looks. Not eager: a container starts its extensions together,
# and an RPC sent before the reply queue is bound loses its answer.
TICK_SECONDS = 1.0
SNAPSHOT_SECONDS = 5.0  # deadline of a snapshot RPC: far above its usual time
MEMO_SIZE = 4096  # rendered responses kept per catalogue version
CACHE_CONTROL = "public, max-age=60"
LISTED = ("published", "retired")

CACHE_RELOADS = Counter(
    "continuity_catalogue_cache_reloads_total",
    "Full reloads of the gateway's catalogue copy",
    ["reason", "outcome"],
)
CACHE_EVENTS = Counter(
    "continuity_catalogue_cache_events_total",
    "Course events applied to the gateway's catalogue copy",
    ["event_type", "outcome"],
)
CACHE_COURSES = Gauge(
    "continuity_catalogue_cache_courses", "Published courses in the gateway's copy"
)

APPLIED, STALE, GAP = "applied", "stale", "gap"


class CatalogueNotLoaded(Exception):
    """The first load has not succeeded yet (the gateway is not ready)."""


@dataclass(frozen=True)
class Record:
    """One course as this process shows it; ``complete`` False: built from an event,
    its quiz questions are still to fetch."""

    detail: dict
    updated_at: datetime
    complete: bool = True


def as_time(value) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def render(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def etag_of(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


def etag_matches(header: str, etag: str) -> bool:
    """If-None-Match uses the weak comparison (RFC 9110 13.1.2)."""
    if header.strip() == "*":
        return True
    return any(t.strip().removeprefix("W/") == etag for t in header.split(","))


class CatalogueCache(DependencyProvider):
    """The catalogue copy of this process; workers get the provider itself.

    Every change happens without yielding to another green thread (no I/O in
    between), so readers never see half of one.
    """

    def setup(self) -> None:
        self.records: dict[str, Record] = {}
        self.skills: list[dict] = []
        self.paths: list[dict] = []
        self.paths_by_id: dict[str, dict] = {}
        self.index = Index([], [])
        self.version = ""
        self.memo: dict = {}
        self.loaded_at: float | None = None  # time.monotonic() of the last full load
        self.fetched_at: float | None = None  # ... and when its snapshot was asked for
        self.gap_at: float | None = None  # when an event last revealed a gap
        self._touched: set[str] | None = None  # courses changed during a reload
        self._reloading = Semaphore(1)

    def get_dependency(self, worker_ctx) -> CatalogueCache:
        return self

    def ready(self) -> bool:
        if self.loaded_at is None:
            raise CatalogueNotLoaded("the catalogue is not loaded yet")
        return True

    # -- keeping it fresh -----------------------------------------------------------
    def due(self) -> str | None:
        """Why a full reload is needed now, if it is."""
        if self.loaded_at is None:
            return "start"
        if self.gap_at is not None:
            return "gap"
        if time.monotonic() - self.loaded_at >= RELOAD_SECONDS:
            return "periodic"
        return None

    def reload(self, fetch: Callable[[], dict], reason: str) -> None:
        """Replace the copy with ``fetch()`` (the catalog's snapshot), keeping what
        events brought while the snapshot was on its way if that is newer."""
        asked = time.monotonic()
        with self._reloading:
            if self.fetched_at is not None and (
                reason == "start" or self.fetched_at >= asked
            ):
                return  # loaded meanwhile, or by a reload that began after this call
            self._touched = set()
            started = time.monotonic()
            try:
                snapshot = fetch()
            except BaseException:
                self._touched = None
                CACHE_RELOADS.labels(reason, "failed").inc()
                raise
            records = {
                c["id"]: Record(c, as_time(c["updated_at"]))
                for c in snapshot["courses"]
                if c["status"] in LISTED
            }
            for course_id in self._touched:
                mine, theirs = self.records.get(course_id), records.get(course_id)
                if mine is not None and (
                    theirs is None or mine.updated_at > theirs.updated_at
                ):
                    records[course_id] = mine
            self._touched = None
            self.records = records
            self.skills = snapshot["skills"]
            self.paths = snapshot["paths"]
            self.paths_by_id = {p["id"]: p for p in self.paths}
            self.loaded_at = time.monotonic()
            self.fetched_at = started
            if self.gap_at is not None and self.gap_at <= started:
                self.gap_at = None  # this snapshot was asked for after the gap
            self._changed()
        CACHE_RELOADS.labels(reason, "ok").inc()
        log.info("catalogue loaded (%s): %d published courses", reason, len(self.index))

    def apply_course(self, event_type: str, data: dict) -> str:
        """course.published.v1 / course.updated.v1: the course as it now is."""
        course_id, updated_at = data["id"], as_time(data["updated_at"])
        known = self.records.get(course_id)
        if known is None and event_type == COURSE_UPDATED_V1.name:
            return self._outcome(event_type, GAP)  # its publication never reached us
        if known is not None and known.updated_at >= updated_at:
            return self._outcome(event_type, STALE)
        quiz = data.get("quiz")
        detail = {
            "id": course_id,
            "title": data["title"],
            "summary": data["summary"],
            "language": data["language"],
            "level": data["level"],
            "duration_hours": data["duration_hours"],
            "topic": data["topic"],
            "skills": list(data["skills"]),
            "has_quiz": quiz is not None,
            "updated_at": updated_at.isoformat(),
            "status": data["status"],
            "chapters": [
                {"id": c["id"], "title": c["title"]} for c in data["chapters"]
            ],
            "quiz": {"pass_mark": quiz["pass_mark"], "questions": None}
            if quiz
            else None,
        }
        self._put(Record(detail, updated_at, complete=quiz is None))
        return self._outcome(event_type, APPLIED)

    def apply_retired(self, course_id: str, retired_at) -> str:
        """course.retired.v1: the course leaves search (its page stays, as retired)."""
        retired_at = as_time(retired_at)
        known = self.records.get(course_id)
        name = COURSE_RETIRED_V1.name
        if known is None:
            return self._outcome(name, GAP)
        if known.updated_at >= retired_at:
            return self._outcome(name, STALE)
        detail = {
            **known.detail,
            "status": "retired",
            "updated_at": retired_at.isoformat(),
        }
        self._put(Record(detail, retired_at, known.complete))
        return self._outcome(name, APPLIED)

    def apply_detail(self, detail: dict) -> None:
        """A course page from the catalog (an RPC answer): kept if it is newer."""
        if detail.get("status") not in LISTED:
            return
        updated_at = as_time(detail["updated_at"])
        known = self.records.get(detail["id"])
        if known is not None and (
            known.updated_at > updated_at
            or (known.updated_at == updated_at and known.complete)
        ):
            return
        self._put(Record(detail, updated_at))

    def _outcome(self, event_type: str, outcome: str) -> str:
        CACHE_EVENTS.labels(event_type, outcome).inc()
        if outcome == GAP:
            self.gap_at = time.monotonic()
            log.warning("%s for a course this gateway never saw: reloading", event_type)
        return outcome

    def _put(self, record: Record) -> None:
        self.records = {**self.records, record.detail["id"]: record}
        if self._touched is not None:
            self._touched.add(record.detail["id"])
        self._changed()

    def _changed(self) -> None:
        published = [
            r.detail for r in self.records.values() if r.detail["status"] == "published"
        ]
        self.index = Index(published, self.paths)
        state = sorted(
            (r.detail["id"], r.detail["status"], r.detail["updated_at"], r.complete)
            for r in self.records.values()
        )
        digest = hashlib.blake2b(
            render([state, self.skills, self.paths]), digest_size=12
        )
        self.version = digest.hexdigest()
        self.memo = {}
        CACHE_COURSES.set(len(self.index))

    # -- reading ----------------------------------------------------------------------
    def course(self, course_id: str) -> Record:
        record = self.records.get(course_id)
        if record is None:
            raise NotFound("course not found")
        return record

    def respond(self, request, key, build: Callable[[], object]) -> Response:
        """The rendered answer for ``key`` (built once per version), or 304."""
        entry = self.memo.get(key)
        if entry is None:
            body = render(build())
            entry = (etag_of(body), body)
            if len(self.memo) >= MEMO_SIZE:
                self.memo = {}
            self.memo[key] = entry
        etag, body = entry
        headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL}
        if_none_match = request.environ.get("HTTP_IF_NONE_MATCH")
        if if_none_match and etag_matches(if_none_match, etag):
            return Response(status=304, headers=headers)
        return Response(body, headers=headers, content_type="application/json")

    def search(self, request) -> Response:
        def build():
            return self.index.search(parse_query(request.args))

        return self.respond(
            request, ("search", request.environ.get("QUERY_STRING", "")), build
        )

    def course_page(self, request, course_id: str) -> Response:
        record = self.course(course_id)
        return self.respond(request, ("course", course_id), lambda: record.detail)

    def skill_list(self, request) -> Response:
        return self.respond(
            request, ("skills",), lambda: {"items": self.skills, "next_cursor": None}
        )

    def path_list(self, request) -> Response:
        return self.respond(
            request, ("paths",), lambda: {"items": self.paths, "next_cursor": None}
        )

    def path_page(self, request, path_id: str) -> Response:
        path = self.paths_by_id.get(path_id)
        if path is None:
            raise NotFound("path not found")
        return self.respond(request, ("path", path_id), lambda: path)


def course_event(event_type):
    """Every gateway process hears every course event; none is kept for one away."""
    return consume(
        event_type,
        handler_type=BROADCAST,
        reliable_delivery=False,
        requeue_on_error=False,
    )


class CatalogueFeed:
    """Mixed into the gateway (through CatalogRoutes): the copy and what feeds it.

    Uses the service's ``catalog_rpc`` and ``config``.
    """

    catalogue = CatalogueCache()

    @timer(interval=TICK_SECONDS)
    def refresh_catalogue(self):
        reason = self.catalogue.due()
        if reason:
            self.reload_catalogue(reason)

    @course_event(COURSE_PUBLISHED_V1)
    def on_catalog_course_published(self, event):
        self.course_changed(COURSE_PUBLISHED_V1.name, event.data)

    @course_event(COURSE_UPDATED_V1)
    def on_catalog_course_updated(self, event):
        self.course_changed(COURSE_UPDATED_V1.name, event.data)

    @course_event(COURSE_RETIRED_V1)
    def on_catalog_course_retired(self, event):
        outcome = self.catalogue.apply_retired(
            event.data["course_id"], event.data["retired_at"]
        )
        if outcome == GAP:
            self.reload_catalogue("gap")

    # -- helpers ----------------------------------------------------------------------
    def course_changed(self, event_type: str, data: dict) -> None:
        outcome = self.catalogue.apply_course(event_type, data)
        if outcome == GAP:
            self.reload_catalogue("gap")
        elif outcome == APPLIED and not self.catalogue.course(data["id"]).complete:
            self.fill_course(data["id"], quiet=True)

    def fill_course(self, course_id: str, quiet: bool = False) -> Record:
        """Fetch a course page the events could not give in full (its quiz)."""
        try:
            self.catalogue.apply_detail(
                self.catalog_call(self.catalog_rpc.get_course, course_id)
            )
        except Exception as exc:
            if not quiet:
                raise
            log.warning(
                "course %s not fetched (%r): its page is fetched when asked for",
                course_id,
                exc,
            )
        return self.catalogue.course(course_id)

    def reload_catalogue(self, reason: str) -> None:
        try:
            self.catalogue.reload(self.fetch_snapshot, reason)
        except Exception as exc:  # the copy as it is keeps serving; the timer retries
            log.warning("catalogue reload (%s) failed: %r", reason, exc)

    def fetch_snapshot(self) -> dict:
        return self.catalog_call(
            self.catalog_rpc.catalogue_snapshot, timeout=SNAPSHOT_SECONDS
        )

    def catalog_call(self, method, *args, timeout: float | None = None):
        """An RPC to catalog with a deadline (the gateway's, unless shorter)."""
        deadline = self.config.get("RPC_TIMEOUT", 30)
        try:
            with eventlet.Timeout(min(deadline, timeout or deadline)):
                return method(*args)
        except eventlet.Timeout:
            raise RpcTimeout("the catalog did not answer in time; try again") from None

    def ensure_catalogue(self) -> None:
        """Before the first load succeeded (the catalog was away): load it now."""
        if self.catalogue.loaded_at is None:
            self.catalogue.reload(self.fetch_snapshot, "start")
