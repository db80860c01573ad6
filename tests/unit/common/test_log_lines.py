"""Every process writes its log as one JSON object a line, which an operator's log
pipeline reads field by field."""

from __future__ import annotations

import io
import json
import logging
import re

from services.common.observability import CORRELATION_ID, JsonFormatter


def lines_of(log_something) -> list[dict]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter("gateway"))
    logger = logging.getLogger("test.log_lines")
    logger.handlers[:], logger.propagate = [handler], False
    logger.setLevel(logging.INFO)
    log_something(logger)
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_an_access_line_carries_its_request_fields():
    [line] = lines_of(lambda log: log.info(
        "%s %s %s %.1fms", "POST", "/xapi/statements", 204, 12.34,
        extra={"correlation_id": "req-1", "method": "POST",
               "path": "/xapi/statements", "status": 204}))
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", line.pop("ts"))
    assert line == {"level": "info", "service": "gateway", "logger": "test.log_lines",
                    "message": "POST /xapi/statements 204 12.3ms",
                    "correlation_id": "req-1", "method": "POST",
                    "path": "/xapi/statements", "status": 204}


def test_a_failure_line_carries_its_traceback_and_the_current_request():
    token = CORRELATION_ID.set("req-2")

    def fail(log):
        try:
            {}["missing"]
        except KeyError:
            log.exception("request failed: %s", "é ✓")

    try:
        [line] = lines_of(fail)
    finally:
        CORRELATION_ID.reset(token)
    assert line["level"] == "error" and line["message"] == "request failed: é ✓"
    assert line["correlation_id"] == "req-2"
    assert "KeyError: 'missing'" in line["exc"]
