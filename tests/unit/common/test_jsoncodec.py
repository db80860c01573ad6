"""orjson on the hot paths reads and writes the same JSON the standard library did."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from kombu import serialization
from kombu.exceptions import EncodeError
from sqlalchemy import JSON, Column, Integer, MetaData, Table, select

from services.common import jsoncodec
from services.common.db import make_engine


@pytest.fixture
def message_codec():
    jsoncodec.install_message_codec()
    yield
    from kombu.utils import json as kombu_json  # put kombu's own reader back

    serialization.register("json", kombu_json.dumps, kombu_json.loads,
                           content_type="application/json", content_encoding="utf-8")


def roundtrip(payload):
    content_type, encoding, body = serialization.dumps(payload, serializer="json")
    return serialization.loads(body, content_type, encoding)


def test_an_event_reads_back_as_it_was_written(message_codec):
    event = {"event_id": str(uuid.uuid4()), "data": {"learners": [
        {"email": "élève@école.fr", "first_name": "Zoé", "external_id": None}]}}
    assert roundtrip(event) == event


def test_rpc_values_kombu_tags_come_back_as_themselves(message_codec):
    """A datetime, UUID or Decimal passed over RPC keeps its type, as before."""
    at, key = datetime(2026, 12, 2, 18, 0, tzinfo=UTC), uuid.uuid4()
    assert roundtrip({"at": at, "key": key, "price": Decimal("1.50")}) == {
        "at": at, "key": key, "price": Decimal("1.50")}


def test_json_columns_store_what_the_standard_library_would_read(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/codec.db")
    table = Table("t", MetaData(), Column("id", Integer, primary_key=True),
                  Column("body", JSON))
    table.metadata.create_all(engine)
    value = {"errors": [{"line": 2, "reason": "« not an e-mail »"}], 7: "seven"}
    with engine.begin() as conn:
        conn.execute(table.insert(), [{"id": 1, "body": value}])
        stored = conn.exec_driver_sql("SELECT body FROM t").scalar()
        loaded = conn.execute(select(table.c.body)).scalar()
    expected = {"errors": [{"line": 2, "reason": "« not an e-mail »"}], "7": "seven"}
    assert json.loads(stored) == loaded == expected  # a key becomes text, as json does
    engine.dispose()


def test_a_message_with_nan_fails_when_sent_not_unread_by_its_receiver(message_codec):
    """orjson reads no NaN: a message holding one would be dropped by its receiver
    while its sender waited for an answer."""
    with pytest.raises(EncodeError):
        serialization.dumps({"score": float("nan")}, serializer="json")


@pytest.mark.parametrize("raw, reason", [
    (b'{"score": NaN}', "NaN is not a JSON number"),
    (b'{"score": Infinity}', "Infinity is not a JSON number"),
    (b'{"score": -Infinity}', "-Infinity is not a JSON number"),
    (b'{"score": 1e999}', "infinity"),
    (b'{"name": "\\ud800"}', "surrogate"),
    (b'{"name": "\xed\xa0\x80"}', "UTF-8"),
    (b"[" * 30_000 + b"]" * 30_000, "nested deeper than 32 levels"),
    (b"[" * 33 + b"]" * 33, "nested deeper than 32 levels"),
    (b'{"a": 1,}', "(at character"),
])
def test_a_document_that_is_not_strict_json_is_refused_saying_why(raw, reason):
    with pytest.raises(jsoncodec.DocumentRefused) as refused:
        jsoncodec.read_document(raw)
    assert refused.value.field is None and reason in refused.value.reason


@pytest.mark.parametrize("raw, field, reason", [
    (b'{"contact": {"name": "a\\u0000b"}}', "contact.name", "NUL (U+0000)"),
    (b'{"languages": ["fr", "e\\u001bn"]}', "languages.1", "U+001B"),
    (b'{"a\\u0000": 1}', "a\\u0000", "NUL"),
])
def test_a_document_with_nul_or_controls_names_the_field(raw, field, reason):
    with pytest.raises(jsoncodec.DocumentRefused) as refused:
        jsoncodec.read_document(raw)
    assert refused.value.field == field and reason in refused.value.reason


def test_a_document_of_ordinary_text_reads_as_the_standard_library_reads_it():
    raw = ('{"reason": "ligne 1\\nligne 2\\tfin", "n": [1, 2.5, null, true], '
           '"nom": "Zoé \\ud83d\\ude00", "deep": ' + "[" * 31 + "]" * 31 + "}").encode()
    assert jsoncodec.read_document(raw) == json.loads(raw)
