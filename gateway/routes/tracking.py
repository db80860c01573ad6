"""Learners' progress and skills."""

from __future__ import annotations

from .base import RouteBase, api, json_body, json_response


class TrackingRoutes(RouteBase):
    # -- learners ----
    @api("GET", "/api/v1/me/progress", roles={"learner"})
    def my_progress(self, request, principal):
        return json_response({"items": self.call(self.tracking_rpc.my_progress, principal.subject),
                              "next_cursor": None})

    @api("GET", "/api/v1/me/skills", roles={"learner"})
    def my_skills(self, request, principal):
        return json_response({"items": self.call(self.tracking_rpc.my_skills, principal.subject),
                              "next_cursor": None})

    @api("POST", "/api/v1/progress", roles={"learner"})
    def record_progress(self, request, principal):
        recorded = self.call(self.tracking_rpc.record_progress, principal.subject,
                             json_body(request))
        return json_response(recorded, status=200 if recorded["duplicate"] else 201)

    @api("GET", "/api/v1/institutions/<institution_id>/learners",
         roles={"institution_admin", "operator"})
    def list_learners(self, request, principal, institution_id):
        self.own_institution(principal, institution_id)
        items = self.call(self.onboarding_rpc.list_learners, institution_id)
        return json_response({"items": items, "next_cursor": None})

    @api("GET", "/api/v1/institutions/<institution_id>/dashboard",
         roles={"institution_admin", "operator"})
    def dashboard(self, request, principal, institution_id):
        self.own_institution(principal, institution_id)
        return json_response(self.call(self.tracking_rpc.get_dashboard, institution_id))
