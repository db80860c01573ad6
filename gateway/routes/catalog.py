"""The course catalogue: public reads from this process's copy, operators' edits.

Reads never call the catalog service on the hot path (``gateway/catalogue_cache.py``);
edits go to the catalog, which announces them, and the answer is applied to this
process's copy at once so the operator reads what they wrote.
"""

from __future__ import annotations

from services.catalog.contracts.rpc import (
    CourseCreate,
    CourseDetail,
    CoursePatch,
    Path,
    PathList,
    SearchPage,
    SearchQuery,
    SkillList,
)

from ..catalogue_cache import CatalogueFeed
from .base import Answer, RouteBase, api, json_body, json_response

TAGS = ("catalogue",)
OPERATORS = {"operator"}
NO_STORE = {"Cache-Control": "no-store"}
LOCATION = {"Location": {"description": "The new resource's URL", "required": True,
                         "schema": {"type": "string"}}}
CACHED = {  # what every read of the copy answers with, 304 included
    "ETag": {"description": "This version of the answer: send it back in "
                            "If-None-Match", "required": True,
             "schema": {"type": "string"}},
    "Cache-Control": {"description": "public, max-age=60", "required": True,
                      "schema": {"type": "string"}},
}
NOT_MODIFIED = Answer("Not modified: the ETag sent in If-None-Match still holds",
                      headers=CACHED)


def cached(schema) -> Answer:
    return Answer("OK", "application/json", schema, CACHED)


class CatalogRoutes(CatalogueFeed, RouteBase):
    # -- reads, from the copy --------------------------------------------------------
    @api(
        "GET",
        "/api/v1/courses",
        tags=TAGS,
        query=SearchQuery,
        summary="Search the published courses: free text, filters, facets, pages",
        responses={200: cached(SearchPage), 304: NOT_MODIFIED},
    )
    def list_courses(self, request, principal):
        self.ensure_catalogue()
        return self.catalogue.search(request)

    @api(
        "GET",
        "/api/v1/courses/<course_id>",
        tags=TAGS,
        summary="A course: chapters and final quiz (without its answers)",
        responses={200: cached(CourseDetail), 304: NOT_MODIFIED},
    )
    def get_course(self, request, principal, course_id):
        self.ensure_catalogue()
        if not self.catalogue.course(course_id).complete:
            self.fill_course(course_id)
        return self.catalogue.course_page(request, course_id)

    @api(
        "GET",
        "/api/v1/skills",
        tags=TAGS,
        summary="Every skill the courses teach",
        responses={200: cached(SkillList), 304: NOT_MODIFIED},
    )
    def list_skills(self, request, principal):
        self.ensure_catalogue()
        return self.catalogue.skill_list(request)

    @api(
        "GET",
        "/api/v1/paths",
        tags=TAGS,
        summary="Learning paths",
        responses={200: cached(PathList), 304: NOT_MODIFIED},
    )
    def list_paths(self, request, principal):
        self.ensure_catalogue()
        return self.catalogue.path_list(request)

    @api(
        "GET",
        "/api/v1/paths/<path_id>",
        tags=TAGS,
        summary="A learning path: its courses in order",
        responses={200: cached(Path), 304: NOT_MODIFIED},
    )
    def get_path(self, request, principal, path_id):
        self.ensure_catalogue()
        return self.catalogue.path_page(request, path_id)

    # -- operators' edits, through the catalog ----------------------------------------
    def edited(self, course: dict, status: int = 200, headers: dict | None = None):
        self.catalogue.apply_detail(course)
        return json_response(
            course, status=status, headers={**NO_STORE, **(headers or {})}
        )

    @api(
        "POST",
        "/api/v1/courses",
        roles=OPERATORS,
        tags=TAGS,
        body=CourseCreate,
        summary="Create a course, as a draft or published at once",
        responses={201: Answer("Created", "application/json", CourseDetail, LOCATION)},
        errors={409: "A course with this id exists already"},
    )
    def create_course(self, request, principal):
        course = self.call(self.catalog_rpc.create_course, json_body(request))
        return self.edited(course, 201, {"Location": f"/api/v1/courses/{course['id']}"})

    @api(
        "PATCH",
        "/api/v1/courses/<course_id>",
        roles=OPERATORS,
        tags=TAGS,
        body=CoursePatch,
        summary="Change some fields of a course",
        responses={200: CourseDetail},
        errors={409: "A retired course cannot be edited"},
    )
    def update_course(self, request, principal, course_id):
        return self.edited(
            self.call(self.catalog_rpc.update_course, course_id, json_body(request))
        )

    @api(
        "POST",
        "/api/v1/courses/<course_id>/publish",
        roles=OPERATORS,
        tags=TAGS,
        summary="Open a draft (or a retired course) to learners",
        responses={200: CourseDetail},
    )
    def publish_course(self, request, principal, course_id):
        return self.edited(self.call(self.catalog_rpc.publish_course, course_id))

    @api(
        "POST",
        "/api/v1/courses/<course_id>/retire",
        roles=OPERATORS,
        tags=TAGS,
        summary="Withdraw a course from the catalogue (it leaves search at once)",
        responses={200: CourseDetail},
        errors={409: "Only a published course can be retired"},
    )
    def retire_course(self, request, principal, course_id):
        return self.edited(self.call(self.catalog_rpc.retire_course, course_id))
