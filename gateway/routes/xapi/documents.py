"""The document resources: State, Activity Profile, Agent Profile (Communication
2.3, 2.6, 2.7), stored as their client sent them."""

from __future__ import annotations

import base64

from werkzeug.wrappers import Response

from services.lrs.contracts.errors import Forbidden
from services.lrs.contracts.statements import IFIS, is_iri

from ...errors import ApiError
from ...http import json_response
from .common import (
    BODY_MAX_BYTES,
    READS,
    XapiBase,
    agent_param,
    check_one_id,
    http_date,
    only_params,
    refused,
    timestamp_param,
    xapi,
)

# resource: (kind, its parameters, the id's parameter, PUT needs a precondition)
DOCUMENTS = {
    "/xapi/activities/state": ("state", ("activityId", "agent", "registration"),
                               "stateId", False),
    "/xapi/activities/profile": ("activity-profile", ("activityId",), "profileId",
                                 True),
    "/xapi/agents/profile": ("agent-profile", ("agent",), "profileId", True),
}


def own_documents(caller, kind: str, agent: dict | None, method: str) -> None:
    """A learner reads and writes the State and Agent Profile documents of their own
    agent (the account the LRS names them by), and only reads Activity Profiles."""
    if not caller.owner.startswith("learner:"):
        return
    mine = kind != "activity-profile" and agent is not None and agent.get(
        "account") == caller.authority["account"] and not any(
        key in agent for key in IFIS if key != "account")
    if not mine and not (kind == "activity-profile" and method in READS):
        raise Forbidden([{"path": "agent", "rule": "auth.own-documents",
                          "detail": "a learner's token reaches the documents of "
                                    "their own agent only"}])


class XapiDocumentRoutes(XapiBase):
    def _address(self, request, caller, resource: str) -> tuple[dict, str, bool]:
        kind, params, id_param, required = DOCUMENTS[resource]
        only_params(request, (*params, id_param, "since"))
        address = {"institution_id": caller.institution_id, "kind": kind,
                   "doc_id": request.args.get(id_param)}
        if "activityId" in params:
            if "activityId" not in request.args:
                raise refused("activityId", "document.activity-id-required",
                              "send the activityId parameter")
            if not is_iri(request.args["activityId"]):
                raise refused("activityId", "document.activity-id-iri",
                              "activityId must be an absolute IRI")
            address["activity_id"] = request.args["activityId"]
        if "agent" in params:
            if "agent" not in request.args:
                raise refused("agent", "document.agent-required",
                              "send the agent parameter")
            address["agent"] = agent_param(request.args["agent"])
        if "registration" in request.args:
            check_one_id("registration", request.args["registration"])
            address["registration"] = request.args["registration"]
        own_documents(caller, kind, address.get("agent"), request.method)
        return address, id_param, required

    def _document(self, request, caller, resource: str):
        address, id_param, required = self._address(request, caller, resource)
        if request.method in READS:
            self._reader(caller)
        else:
            self._writer(caller, "documents")
        if request.method in ("PUT", "POST"):
            return self._write_document(request, address, id_param, required)
        if "since" in request.args and (request.method not in READS
                                        or address["doc_id"] is not None):
            raise refused("since", "request.parameters",
                          "since is a parameter of the id lists only")
        if request.method == "DELETE":
            if address["doc_id"] is None and resource != "/xapi/activities/state":
                raise refused(id_param, "document.id-required",
                              f"send the {id_param} parameter")
            self.call(self.lrs_rpc.delete_documents,
                      {**address, "if_match": request.headers.get("If-Match")})
            return Response(status=204)
        if address["doc_id"] is None:
            return json_response(self.call(self.lrs_rpc.list_documents, {
                **address, "since": timestamp_param(request, "since")}))
        found = self.call(self.lrs_rpc.get_document, address)
        return Response(base64.b64decode(found["content"]),
                        content_type=found["content_type"], headers={
                            "ETag": f'"{found["etag"]}"',
                            "Last-Modified": http_date(found["updated"])})

    def _write_document(self, request, address, id_param, required):
        if address["doc_id"] is None:
            raise refused(id_param, "document.id-required",
                          f"send the {id_param} parameter")
        if (request.content_length or 0) > BODY_MAX_BYTES:
            raise ApiError(413, "payload-too-large",
                           f"the body exceeds {BODY_MAX_BYTES} bytes")
        content = request.get_data(cache=False)
        merge = request.method == "POST"
        if merge and (request.mimetype or "").lower() != "application/json":
            raise refused("Content-Type", "document.merge-json-objects",
                          "a POST merges JSON objects: send application/json")
        written = self.call(self.lrs_rpc.write_document, {
            **address, "content": base64.b64encode(content).decode(),
            "content_type": request.content_type or "application/octet-stream",
            "merge": merge, "if_match": request.headers.get("If-Match"),
            "if_none_match": request.headers.get("If-None-Match"),
            "precondition_required": required and not merge})
        return Response(status=204, headers={"ETag": f'"{written["etag"]}"'})

    @xapi("GET,PUT,POST,DELETE", "/xapi/activities/state")
    def xapi_state(self, request, caller):
        return self._document(request, caller, "/xapi/activities/state")

    @xapi("GET,PUT,POST,DELETE", "/xapi/activities/profile")
    def xapi_activity_profile(self, request, caller):
        return self._document(request, caller, "/xapi/activities/profile")

    @xapi("GET,PUT,POST,DELETE", "/xapi/agents/profile")
    def xapi_agent_profile(self, request, caller):
        return self._document(request, caller, "/xapi/agents/profile")
