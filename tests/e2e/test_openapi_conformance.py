"""Every route answers as the served OpenAPI document says (schemathesis).

Generated requests hit every operation, anonymously and as an operator: no 5xx, every
status code documented, every body matching its documented schema and content type.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from tests.support.journey import onboard, operator
from tests.support.platform import start_platform, stop_platform

pytestmark = pytest.mark.e2e

# what the issue asks: no server error, and every answer as documented. Requests the
# JSON schema allows but a business rule refuses (a closed country list, a duplicate
# slug) are answered 4xx with a problem: that is documented, not a conformance failure.
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]


@pytest.fixture(scope="module")
def world(tmp_path_factory, vhost_pipeline):
    with vhost_pipeline.get() as vhost:
        p = start_platform(tmp_path_factory.mktemp("conformance"),
                           f"amqp://guest:guest@127.0.0.1:5672/{vhost}",
                           extra_env={"RATE_LIMIT_APPLY": "100000/60",
                                      "RATE_LIMIT_LOGIN": "100000/60",
                                      "RATE_LIMIT_INVITATION": "100000/60"})
        try:
            onboard(p, "schema-check.fr", learners=1)
            yield p, operator(p)
        finally:
            assert stop_platform(p) == 0


def test_every_operation_answers_as_documented(world):
    p, token = world
    api = schemathesis.openapi.from_url(f"{p.url}/api/openapi.json")
    failures = []
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) >= 30
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=8, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case):
            case.call_and_validate(base_url=p.url, checks=CHECKS)
            case.call_and_validate(base_url=p.url, checks=CHECKS,
                                   headers={"Authorization": f"Bearer {token}"})

        try:
            check()
        except Exception as exc:  # noqa: BLE001 - collected, reported together
            failures.append(f"{operation.label}: {exc}"[:1500])
    assert not failures, "\n\n".join(failures)
