"""The course catalogue: public reads."""

from __future__ import annotations

from .base import RouteBase, api, int_arg, json_response


class CatalogRoutes(RouteBase):
    # -- catalogue ------------------------------------------------------------------
    @api("GET", "/api/v1/courses")
    def list_courses(self, request, principal):
        filters = {k: request.args[k] for k in ("q", "language", "level", "topic", "skill", "path")
                   if request.args.get(k)}
        filters["limit"] = int_arg(request, "limit", 20, 1, 100)
        filters["cursor"] = int_arg(request, "cursor", 0, 0, 10**6)
        return json_response(self.call(self.catalog_rpc.search_courses, filters))

    @api("GET", "/api/v1/courses/<course_id>")
    def get_course(self, request, principal, course_id):
        return json_response(self.call(self.catalog_rpc.get_course, course_id))

    @api("GET", "/api/v1/skills")
    def list_skills(self, request, principal):
        return json_response({"items": self.call(self.catalog_rpc.list_skills),
                              "next_cursor": None})

    @api("GET", "/api/v1/paths")
    def list_paths(self, request, principal):
        return json_response({"items": self.call(self.catalog_rpc.list_paths),
                              "next_cursor": None})

    @api("GET", "/api/v1/paths/<path_id>")
    def get_path(self, request, principal, path_id):
        return json_response(self.call(self.catalog_rpc.get_path, path_id))
