"""The surge as operators follow it: time to active and its stages, counts by
status, what waits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .models import Application, Institution, RosterJob


def count_by_status(session: Session) -> dict[str, int]:
    return dict(
        session.execute(
            select(Application.status, func.count()).group_by(Application.status)
        ).all()
    )


@dataclass(frozen=True)
class Surge:
    applications_by_status: dict
    time_to_active: dict
    backlog: dict
    activated_per_hour: list


def per_hour(moments: list[datetime], now: datetime, hours: int = 24) -> list[dict]:
    """Activations in each of the last ``hours`` hours, oldest first; the last one is
    the hour running now."""
    start = now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=hours - 1)
    counts = [0] * hours
    for moment in moments:
        if moment >= start:
            slot = int((moment - start).total_seconds() // 3600)
            if slot < hours:
                counts[slot] += 1
    return [{"hour": (start + timedelta(hours=i)).isoformat(), "activated": count}
            for i, count in enumerate(counts)]


def percentile(sorted_values: list[float], p: float) -> float | None:
    if not sorted_values:
        return None
    k = (len(sorted_values) - 1) * p
    low = int(k)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (k - low)


def spread(sorted_values: list[float]) -> dict:
    return {
        "count": len(sorted_values),
        "p50": percentile(sorted_values, 0.50),
        "p95": percentile(sorted_values, 0.95),
        "p99": percentile(sorted_values, 0.99),
        "max": sorted_values[-1] if sorted_values else None,
    }


def surge(session: Session, since: datetime | None = None,
          now: datetime | None = None) -> Surge:
    """Where the surge stands: time to active and where it is spent (each stage of
    apply → approved → licence issued → active), counts by status, what waits."""
    query = select(Institution.applied_at, Institution.approved_at,
                   Institution.licence_issued_at, Institution.activated_at).where(
        Institution.activated_at.is_not(None))
    if since is not None:
        query = query.where(Institution.applied_at >= since)
    times = session.execute(query).all()
    durations = sorted((active - applied).total_seconds()
                       for applied, _, _, active in times)
    stages = {
        name: spread(sorted((end - start).total_seconds() for start, end in pairs
                            if start is not None and end is not None))
        for name, pairs in (
            ("review", [(a, b) for a, b, _, _ in times]),
            ("licensing", [(b, c) for _, b, c, _ in times]),
            ("activation", [(c, d) for _, _, c, d in times]),
        )
    }
    statuses = count_by_status(session)
    jobs = dict(session.execute(
        select(RosterJob.status, func.count()).group_by(RosterJob.status)).all())
    rows_left = session.scalar(
        select(func.count()).select_from(RosterJob)
        .where(RosterJob.status.in_(("queued", "running")))
    )
    return Surge(
        applications_by_status=statuses,
        time_to_active={**spread(durations), "stages": stages},
        backlog={
            "applications_to_review": statuses.get("needs_review", 0),
            "institutions_awaiting_licence": session.scalar(
                select(func.count()).select_from(Institution)
                .where(Institution.status == "approved")),
            "roster_jobs_waiting": jobs.get("queued", 0),
            "roster_jobs_running": jobs.get("running", 0),
            "roster_jobs_unfinished": rows_left,
        },
        activated_per_hour=per_hour([active for *_, active in times], now)
        if now is not None else [],
    )

