"""What the LRS says of itself (``/xapi/about``), of an activity and of an agent
(Communication 2.4, 2.5, 2.8)."""

from __future__ import annotations

from services.lrs.contracts.statements import IFIS, is_iri

from ...http import json_response
from .common import VERSION, XapiBase, agent_param, only_params, refused, xapi


class XapiAboutRoutes(XapiBase):
    @xapi("GET", "/xapi/about", versioned=False, authenticated=False)
    def xapi_about(self, request, caller):
        return json_response({"version": [VERSION], "extensions": {}})

    @xapi("GET", "/xapi/activities")
    def xapi_activity(self, request, caller):
        self._reader(caller)
        only_params(request, ("activityId",))
        activity_id = request.args.get("activityId")
        if not is_iri(activity_id):
            raise refused("activityId", "query.activity-iri",
                          "send activityId, an absolute IRI")
        return json_response(self.call(self.lrs_rpc.get_activity, {
            "institution_id": caller.institution_id, "activity_id": activity_id}))

    @xapi("GET", "/xapi/agents")
    def xapi_person(self, request, caller):
        """The Person Object of an agent: what the request names, each property as
        a list (the LRS links no identifiers of one person together)."""
        self._reader(caller)
        only_params(request, ("agent",))
        if "agent" not in request.args:
            raise refused("agent", "query.agent-required", "send the agent parameter")
        agent = agent_param(request.args["agent"])
        person = {"objectType": "Person"}
        for key in ("name", *IFIS):
            if key in agent:
                person[key] = [agent[key]]
        return json_response(person)
