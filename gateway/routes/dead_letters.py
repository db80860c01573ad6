"""Dead letters, for operators: list them with why, replay one or all of a queue.

The gateway also records them: ``on_dead_letter`` reads the dead-letter queue into
its database (gateway/dead_letters.py, decision 0049)."""

from __future__ import annotations

from services.common.events import consume_dead_letters

from .. import dead_letters
from ..models import DeadLetter
from ..schemas import (
    DeadLetterOut,
    DeadLetterPage,
    DeadLetterQuery,
    ReplayedOut,
    ReplayQueueRequest,
)
from .audit import cursor_arg
from .base import ApiError, RouteBase, api, int_arg, json_body, json_response, load

LETTER = {200: DeadLetterOut}
REPLAY_MAX = 10_000  # letters put back by one request


def state_arg(request) -> str | None:
    state = request.args.get("state")
    if state is not None and state not in dead_letters.STATES:
        raise ApiError(422, "validation-error", "state must be waiting or replayed",
                       errors={"state": ["must be one of: waiting, replayed"]})
    return state


class DeadLetterRoutes(RouteBase):
    @consume_dead_letters
    def on_dead_letter(self, letter):
        with self.db.begin() as session:
            dead_letters.record(session, letter, self.clock())

    def replay_letters(self, request, principal, chosen: list[DeadLetter],
                       target: tuple[str, str], session) -> int:
        """Put back, mark, and audit in the same transaction."""
        by = principal.email or principal.subject
        try:
            count = dead_letters.replay(session, self.config["AMQP_URI"], chosen, by,
                                        self.clock())
        except dead_letters.QueueGone as exc:
            raise ApiError(409, "queue-gone",
                           f"the queue {exc} no longer exists: its consumer was "
                           "removed, so the event cannot be replayed") from None
        self.audited(request, principal, "dead_letter.replayed", target, None,
                     None, {"replayed": count}, session)
        return count

    @api("GET", "/api/v1/dead-letters", roles={"operator"}, tags=("ops",),
         summary="Events a consumer failed as many times as it tries, newest first: "
                 "the queue, the event type and id, the error, when",
         query=DeadLetterQuery, responses={200: DeadLetterPage})
    def list_dead_letters(self, request, principal):
        limit = int_arg(request, "limit", 50, 1, 200)
        with self.db.begin() as session:
            items = dead_letters.letters(
                session, queue=request.args.get("queue"), state=state_arg(request),
                limit=limit, before_id=cursor_arg(request))
            return json_response({
                "items": DeadLetterOut(many=True).dump(items),
                "next_cursor": str(items[-1].id) if len(items) == limit else None})

    def replay_one(self, request, principal, letter_id: str) -> dict:
        """Replay one letter by its id (the API and the operator page)."""
        with self.db.begin() as session:
            letter = (session.get(DeadLetter, int(letter_id))
                      if letter_id.isdigit() and len(letter_id) < 18 else None)
            if letter is None:
                raise ApiError(404, "not-found", "no such dead letter")
            if letter.replayed_at is not None:
                raise ApiError(409, "already-replayed",
                               "this dead letter was replayed already")
            self.replay_letters(request, principal, [letter],
                                ("dead_letter", str(letter.id)), session)
            return DeadLetterOut().dump(letter)

    def replay_queue(self, request, principal, queue: str) -> int:
        """Replay every waiting letter of a queue (the API and the operator page)."""
        with self.db.begin() as session:
            chosen = dead_letters.letters(session, queue=queue, state="waiting",
                                          limit=REPLAY_MAX)
            return self.replay_letters(request, principal, chosen, ("queue", queue),
                                       session)

    @api("POST", "/api/v1/dead-letters/<letter_id>/replay", roles={"operator"},
         tags=("ops",), responses=LETTER,
         summary="Put a dead letter back in its queue, once its cause is fixed")
    def replay_dead_letter(self, request, principal, letter_id):
        return json_response(self.replay_one(request, principal, letter_id))

    @api("POST", "/api/v1/dead-letters/replay", roles={"operator"}, tags=("ops",),
         body=ReplayQueueRequest, responses={200: ReplayedOut},
         summary="Put every waiting dead letter of a queue back in it (up to 10,000 "
                 "at a time)")
    def replay_dead_letter_queue(self, request, principal):
        queue = load(ReplayQueueRequest(), json_body(request))["queue"]
        return json_response({"replayed": self.replay_queue(request, principal, queue)})
