"""The gateway is one class mixed from route and page groups: a name two groups
define is silently one of them for both (a merge once gave the operator pages the
dead-letter page's `operator_only`, and every operator page failed). Each name is
defined by one group only."""

from __future__ import annotations

from collections import defaultdict

from gateway.service import GatewayService


def test_no_two_groups_of_the_gateway_define_the_same_name():
    owners = defaultdict(list)
    for group in GatewayService.__mro__:
        if group.__module__.startswith("gateway"):
            for name in vars(group):
                if not name.startswith("__"):
                    owners[name].append(group.__qualname__)
    twice = {name: groups for name, groups in owners.items() if len(groups) > 1}
    assert not twice, twice
