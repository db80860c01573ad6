"""The operator's dead letters page: events a consumer set aside, why, and a button
to put them back once the cause is fixed (one, or all of a queue).

It calls what the API routes call (``routes/dead_letters.py``) and refuses the same
people the same way: anyone but an operator gets the 404 page.
"""

from __future__ import annotations

from .. import dead_letters
from ..errors import ApiError
from .operator import OperatorBase
from .page import page

SHOWN = 100  # letters on the page, newest first


class DeadLetterPages(OperatorBase):
    def dead_letters_page(self, visit, status: int = 200, error: str | None = None,
                          replayed: int | None = None):
        with self.db.begin() as session:
            letters = dead_letters.letters(session, limit=SHOWN)
            queues = dead_letters.waiting_queues(session)
            return visit.render("dead_letters.html", status=status, letters=letters,
                                queues=queues, error=error, replayed=replayed)

    @page("GET", "/ops/dead-letters")
    def dead_letters(self, request, visit):
        _, away = self.operator_only(visit)
        if away:
            return away
        replayed = request.args.get("replayed", "")
        return self.dead_letters_page(
            visit, replayed=int(replayed) if replayed.isdigit() else None)

    def replayed_or_said(self, visit, replay):
        """Back to the list, which says how many went back; or the list again with
        why none did (already replayed, its queue gone: the template says it in the
        person's language)."""
        try:
            count = replay()
        except ApiError as exc:
            if exc.status != 409:
                raise
            return self.dead_letters_page(visit, status=409, error=exc.code)
        return visit.redirect(f"/ops/dead-letters?replayed={count}")

    @page("POST", "/ops/dead-letters/<letter_id>/replay")
    def replay_dead_letter_page(self, request, visit, letter_id):
        _, away = self.operator_only(visit)
        if away:
            return away
        def replay_one() -> int:
            self.replay_one(request, visit.principal, letter_id)
            return 1

        return self.replayed_or_said(visit, replay_one)

    @page("POST", "/ops/dead-letters/replay")
    def replay_dead_letter_queue_page(self, request, visit):
        _, away = self.operator_only(visit)
        if away:
            return away
        queue = request.form.get("queue", "")
        return self.replayed_or_said(visit, lambda: self.replay_queue(
            request, visit.principal, queue))
