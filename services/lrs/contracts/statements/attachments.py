"""A statement's attachment objects (Data 2.4.11)."""

from __future__ import annotations

from typing import Any

from .shapes import _SHA2, Shapes, _join


class Attachments(Shapes):
    def attachments(self, value: Any, path: str) -> None:
        if not isinstance(value, list):
            self.fail(path, "attachments.array", "must be an array of attachments")
            return
        for i, item in enumerate(value):
            where = f"{path}[{i}]"
            if not self.is_object(item, where, "attachment.object"):
                continue
            self.keys(item, ("usageType", "display", "description", "contentType",
                             "length", "sha2", "fileUrl"), where,
                      "attachment.properties")
            for key in ("usageType", "display", "contentType", "length", "sha2"):
                if key not in item:
                    self.fail(where, "attachment.required",
                              f"an attachment has a {key!r}")
            if "usageType" in item:
                self.iri(item["usageType"], _join(where, "usageType"),
                         "attachment.usage-type-iri")
            for key in ("display", "description"):
                if key in item:
                    self.language_map(item[key], _join(where, key))
            if "contentType" in item:
                self.string(item["contentType"], _join(where, "contentType"),
                            "attachment.content-type")
            if "length" in item and (isinstance(item["length"], bool) or not
                                     isinstance(item["length"], int)
                                     or item["length"] < 0):
                self.fail(_join(where, "length"), "attachment.length-integer",
                          "must be a whole number of octets")
            if "sha2" in item and (not isinstance(item["sha2"], str)
                                   or not _SHA2.match(item["sha2"])):
                self.fail(_join(where, "sha2"), "attachment.sha2-hex",
                          "must be a SHA-2 hash in hexadecimal")
            if "fileUrl" in item:
                self.irl(item["fileUrl"], _join(where, "fileUrl"),
                         "attachment.file-url-irl")
