"""marshmallow fields for batches: a thousand learners in one event, cheaply.

``fields.List(fields.Nested(Learner))`` runs the whole schema machinery once per item
(hooks, error store, unknown-field check), paid by the producer and by every consumer
of every roster batch (figures in decision 0013). :class:`Records` checks the same
fields, item by item, with the fields' own ``deserialize``/``serialize`` (strings
inline), and reports errors in the same shape (``{index: {field: [message]}}``). The
documents (AsyncAPI) see a list of the nested schema all the same.

E-mail addresses, and the ``None`` of a field that allows it, are checked inline too:
marshmallow's ``fields.Email`` through ``deserialize`` formats the error message of
every address before checking it, a large part of a batch's load (decision 0015).

:class:`Email` is the platform's one e-mail field: every schema that takes or announces
an address uses it, so a row the roster reader accepts is one the events accept.
"""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate
from marshmallow.utils import missing

from .validation import email_address, is_email

PLAIN, EMAIL, OTHER = "plain", "email", "other"


class Email(fields.Email):
    """An e-mail address by the platform's rule (``validation.email_problem``), in
    place of marshmallow's; documented as ``format: email`` all the same."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [email_address] + [
            v for v in self.validators if not isinstance(v, validate.Email)]


def _kind(field: fields.Field) -> str:
    """PLAIN: any string loads as itself; EMAIL: a string that ``is_email``."""
    if type(field) is fields.String and not field.validators:
        return PLAIN
    if type(field) is Email and field.validators == [email_address]:
        return EMAIL
    return OTHER


class Records(fields.List):
    """A list of flat records described by ``schema`` (a schema without hooks).

    Unknown keys in a record are ignored on load, as a tolerant reader does; a
    producer's dump only writes the declared fields.
    """

    def __init__(self, schema: type[Schema], **kwargs):
        super().__init__(fields.Nested(schema), **kwargs)
        instance = schema()
        if any(instance._hooks.values()):
            raise TypeError(f"{schema.__name__} has hooks: use fields.Nested")
        self._loaders = []  # (key in the data, attribute, field, its kind)
        for attr, field in instance.load_fields.items():
            key = field.data_key or attr
            self._loaders.append((key, attr, field, _kind(field)))
        # a string field dumps any string as itself (an e-mail is checked on load)
        self._dumpers = [(field.data_key or attr, attr, field,
                          type(field) in (fields.String, fields.Email, Email))
                         for attr, field in instance.dump_fields.items()]

    def _deserialize(self, value, attr, data, **kwargs) -> list[dict]:
        if not isinstance(value, list | tuple):
            raise self.make_error("invalid")
        loaded, errors = [], {}
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                errors[index] = {"_schema": ["Invalid input type."]}
                continue
            record, problems = {}, {}
            for key, name, field, kind in self._loaders:
                raw = item.get(key, missing)
                if isinstance(raw, str):
                    if kind is PLAIN or (kind is EMAIL and is_email(raw)):
                        record[name] = raw  # what the field would return
                        continue
                elif raw is None and field.allow_none:
                    record[name] = None
                    continue
                try:
                    result = field.deserialize(raw, key, item)
                except ValidationError as exc:
                    problems[key] = exc.messages
                    continue
                if result is not missing:
                    record[name] = result
            if problems:
                errors[index] = problems
            loaded.append(record)
        if errors:
            raise ValidationError(errors, valid_data=loaded)
        return loaded

    def _serialize(self, value, attr, obj, **kwargs) -> list[dict] | None:
        if value is None:
            return None
        dumped = []
        for item in value:
            record = {}
            for key, name, field, plain in self._dumpers:
                if plain and isinstance(item, dict):
                    raw = item.get(name, missing)
                    if raw is missing:
                        continue
                    record[key] = raw if raw is None or isinstance(raw, str) else str(raw)
                    continue
                result = field.serialize(name, item)
                if result is not missing:
                    record[key] = result
            dumped.append(record)
        return dumped


class Strings(fields.List):
    """``fields.List(fields.String())`` for a batch's ids: a list of strings is taken
    in one pass. marshmallow calls the inner field once per item, which made the dump
    and check of a 1,000-learner ``seats.assigned.v1`` about a fifth of licensing's
    CPU for a roster. Anything else goes through ``List`` and fails the same way."""

    def __init__(self, **kwargs):
        super().__init__(fields.String(), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> list[str]:
        if isinstance(value, list | tuple) and all(type(v) is str for v in value):
            return list(value)
        return super()._deserialize(value, attr, data, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs) -> list[str] | None:
        if isinstance(value, list | tuple) and all(type(v) is str for v in value):
            return list(value)
        return super()._serialize(value, attr, obj, **kwargs)
