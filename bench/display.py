"""The surge simulator's terminal: one bar per stage while it runs, then the report.

rich redraws in place on a terminal; in a log or a pipe it prints plain lines, so the
same command serves a person and a CI job.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

console = Console()


class LiveDisplay:
    """Bars for applied, active, rosters imported, learners seated and active, with
    the errors and waits so far."""

    def __init__(self, surge) -> None:
        self.surge = surge
        options = surge.options
        self.progress = Progress(
            TextColumn("{task.description:<20}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), TextColumn("{task.fields[note]}"), console=console)
        self.totals = {"applied": options.institutions,
                       "active": options.institutions,
                       "roster imported": options.institutions, **surge.expected()}
        self.tasks = {what: self.progress.add_task(what, total=total, note="")
                      for what, total in self.totals.items()}

    def __enter__(self) -> LiveDisplay:
        self.progress.start()
        return self

    def __exit__(self, *exc) -> None:
        self.show()
        self.progress.stop()

    def show(self) -> None:
        counts = self.surge.tally.counts
        for what, task in self.tasks.items():
            note = ""
            if what == "applied":
                note = (f"errors {counts['errors']}  ·  bad inputs refused "
                        f"{counts['bad inputs refused']}  ·  rate limited "
                        f"{counts['rate limited']}")
            elif what == "learners active":
                note = f"{counts['progress recorded']} progress records"
            self.progress.update(task, completed=counts[what], note=note)

    @staticmethod
    def summary(figures: dict, files: list[Path]) -> None:
        table = Table(title=f"Surge against {figures['url']} in "
                            f"{figures['seconds']:.1f} s", show_header=False)
        table.add_column(style="bold")
        table.add_column()
        inst = figures["institutions"]
        table.add_row("institutions", f"{inst['applied']} applied, {inst['active']} "
                      f"active ({inst['approved_by_an_operator']} approved by an "
                      f"operator), {inst['rosters_imported']} rosters imported")
        seen = figures["time_to_active_seconds"]["seen_by_institutions"]
        if seen.get("count"):
            table.add_row("time to active", f"p50 {seen['p50']:.2f} s, p90 "
                          f"{seen['p90']:.2f} s, p99 {seen['p99']:.2f} s, max "
                          f"{seen['max']:.2f} s (as the institutions saw it, asking "
                          f"every {figures['status_asked_every_seconds']} s)")
        measured = figures["time_to_active_seconds"]["measured_by_the_platform"]
        if measured and measured.get("count"):
            table.add_row("", f"p50 {measured['p50']:.2f} s, p95 {measured['p95']:.2f} "
                          f"s, p99 {measured['p99']:.2f} s (the platform's own "
                          f"measure, every application it holds)")
        seats = figures["seats"]
        table.add_row("seats", f"{seats['seated']} seated, {seats['waiting']} waiting, "
                      f"of {seats['granted']} granted")
        rows = figures["roster_rows"]
        table.add_row("roster rows", f"{rows['read']} read, {rows['refused']} refused "
                      "or duplicates, as expected")
        speed = figures["throughput_per_second"]
        table.add_row("throughput", f"{speed['applications']} applications/s, "
                      f"{speed['learners_seated']} learners seated/s, "
                      f"{speed['progress_records']} progress records/s, "
                      f"{speed['requests']} requests/s")
        table.add_row("requests", ", ".join(f"{k}: {v}" for k, v in
                                            figures["requests_by_status"].items()))
        table.add_row("bad inputs", f"{figures['bad_inputs_refused']} refused as they "
                      "should be")
        limited = figures["rate_limited"]
        if limited["answers"]:
            table.add_row("rate limited", f"{limited['answers']} answers, "
                          f"{limited['seconds_waited']} s waited (raise RATE_LIMIT_* "
                          "on the platform to replay from one machine)")
        unavailable = figures["unavailable_asked_again"]
        if unavailable["answers"]:
            table.add_row("unavailable", f"{unavailable['answers']} answers 503, each "
                          f"asked again after its Retry-After "
                          f"({unavailable['seconds_waited']} s waited)")
        table.add_row("errors", str(len(figures["errors"])) if figures["errors"]
                      else "none")
        console.print(table)
        for error in figures["errors"][:20]:
            console.print(f"  [red]institution {error['institution']}[/red] "
                          f"{escape(error['step'])}: {escape(error['detail'])}",
                          markup=True, highlight=False)
        if len(figures["errors"]) > 20:
            console.print(f"  … {len(figures['errors']) - 20} more in the report")
        for path in files:
            console.print(f"written: {path}", highlight=False)
