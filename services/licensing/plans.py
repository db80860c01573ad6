"""Plans kept as data (plans.yml)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

DEFAULT_PLANS = Path(__file__).with_name("plans.yml")


@dataclass(frozen=True)
class Plan:
    id: str
    label: str
    days: int
    max_seats: int
    warn_days_before_end: tuple[int, ...]

    def seats_for(self, expected_learners: int) -> int:
        return max(1, min(expected_learners, self.max_seats))


def load_plans(path: str | None = None) -> dict[str, Plan]:
    raw = yaml.safe_load(Path(path or DEFAULT_PLANS).read_text(encoding="utf-8"))
    return {
        plan_id: Plan(
            id=plan_id,
            label=spec.get("label", plan_id),
            days=int(spec["days"]),
            max_seats=int(spec["max_seats"]),
            warn_days_before_end=tuple(spec.get("warn_days_before_end", ())),
        )
        for plan_id, spec in raw.items()
    }
