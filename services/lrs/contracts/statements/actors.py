"""Actors: Agents, Groups and their inverse functional identifiers (Data 2.4.2)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .shapes import _MAILTO, _SHA1, Shapes, _join

IFIS = ("mbox", "mbox_sha1sum", "openid", "account")


class Actors(Shapes):
    def agent(self, value: Any, path: str) -> None:
        if not self.is_object(value, path, "agent.object"):
            return
        kind = value.get("objectType", "Agent")
        if kind == "Group":
            self.group(value, path)
            return
        if kind != "Agent":
            self.fail(_join(path, "objectType"), "agent.object-type",
                      "must be 'Agent' or 'Group'")
            return
        self.keys(value, ("objectType", "name", *IFIS), path, "agent.properties")
        if "name" in value:
            self.string(value["name"], _join(path, "name"), "agent.name-string")
        given = [ifi for ifi in IFIS if ifi in value]
        if len(given) != 1:
            self.fail(path, "agent.exactly-one-ifi",
                      "an Agent has exactly one inverse functional identifier "
                      f"(one of {', '.join(IFIS)}); found {len(given)}")
        self.ifis(value, path)

    def group(self, value: Mapping, path: str) -> None:
        self.keys(value, ("objectType", "name", "member", *IFIS), path,
                  "group.properties")
        if "name" in value:
            self.string(value["name"], _join(path, "name"), "group.name-string")
        given = [ifi for ifi in IFIS if ifi in value]
        if len(given) > 1:
            self.fail(path, "group.at-most-one-ifi",
                      "an identified Group has exactly one inverse functional "
                      f"identifier; found {len(given)}")
        members = value.get("member")
        if not given and not members:
            self.fail(_join(path, "member"), "group.anonymous-has-members",
                      "an anonymous Group (no identifier) must list its members")
        if members is not None:
            if not isinstance(members, list):
                self.fail(_join(path, "member"), "group.member-array",
                          "must be an array of Agents")
            else:
                for i, member in enumerate(members):
                    where = f"{_join(path, 'member')}[{i}]"
                    if isinstance(member, dict) and member.get(
                            "objectType") == "Group":
                        self.fail(where, "group.members-are-agents",
                                  "a Group's members are Agents, never Groups")
                    else:
                        self.agent(member, where)
        self.ifis(value, path)

    def ifis(self, value: Mapping, path: str) -> None:
        if "mbox" in value and (not isinstance(value["mbox"], str)
                                or not _MAILTO.match(value["mbox"])):
            self.fail(_join(path, "mbox"), "agent.mbox-mailto",
                      "mbox must be a 'mailto:' IRI of an e-mail address")
        if "mbox_sha1sum" in value and (not isinstance(value["mbox_sha1sum"], str)
                                        or not _SHA1.match(value["mbox_sha1sum"])):
            self.fail(_join(path, "mbox_sha1sum"), "agent.mbox-sha1sum-hex",
                      "must be the SHA-1 of a mailto IRI, 40 hexadecimal digits")
        if "openid" in value:
            self.iri(value["openid"], _join(path, "openid"), "agent.openid-uri")
        if "account" in value:
            account = value["account"]
            where = _join(path, "account")
            if self.is_object(account, where, "account.object"):
                self.keys(account, ("homePage", "name"), where, "account.properties")
                if "homePage" not in account:
                    self.fail(where, "account.home-page-required",
                              "an account has a homePage")
                else:
                    self.irl(account["homePage"], _join(where, "homePage"),
                             "account.home-page-irl")
                if "name" not in account:
                    self.fail(where, "account.name-required", "an account has a name")
                else:
                    self.string(account["name"], _join(where, "name"),
                                "account.name-string")
