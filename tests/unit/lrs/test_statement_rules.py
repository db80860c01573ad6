"""xAPI 1.0.3's statement rules (Data part), one test per rule, named after it.

Each test breaks one rule of a valid statement and checks the refusal names that rule
and where it is broken; the valid statements pass untouched.
"""

from __future__ import annotations

import copy

import pytest

from services.lrs.contracts.statements import (
    StatementInvalid,
    agent_violations,
    check_statement,
    check_statements,
    is_iri,
    is_uuid,
    violations,
)

ID = "fd41c918-b88b-4b20-a0a5-a4c32391aaa0"
OTHER_ID = "7ccd3322-e1a5-411a-a67d-6a735c76f119"
ACTIVITY = {"objectType": "Activity", "id": "https://courses.example.org/c/ethics",
            "definition": {"name": {"en-US": "Ethics", "fr": "Éthique"},
                           "type": "http://adlnet.gov/expapi/activities/course"}}


def statement(**changes) -> dict:
    base = {
        "id": ID,
        "actor": {"objectType": "Agent", "name": "Jo", "mbox": "mailto:jo@example.org"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed",
                 "display": {"en-US": "completed"}},
        "object": copy.deepcopy(ACTIVITY),
        "timestamp": "2026-12-07T09:30:00.123Z",
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not ...}


def broken(value) -> set[tuple[str, str]]:
    """(path, rule) of every violation."""
    return {(v.path, v.rule) for v in violations(value)}


def rules(value) -> set[str]:
    return {v.rule for v in violations(value)}


# -- valid statements -----------------------------------------------------------------
def test_a_complete_statement_is_valid():
    full = statement(
        result={"score": {"scaled": 0.85, "raw": 85, "min": 0, "max": 100},
                "success": True, "completion": True, "response": "b",
                "duration": "PT1H2M3.5S",
                "extensions": {"https://x.example.org/ext/attempts": 2}},
        context={"registration": OTHER_ID,
                 "instructor": {"account": {"homePage": "https://idp.example.org",
                                            "name": "t-1"}},
                 "team": {"objectType": "Group", "name": "Blue",
                          "member": [{"mbox": "mailto:a@example.org"}]},
                 "contextActivities": {"parent": [ACTIVITY],
                                       "grouping": {"id": "https://x.example.org/g"}},
                 "revision": "2", "platform": "Moodle", "language": "fr-BE",
                 "statement": {"objectType": "StatementRef", "id": OTHER_ID},
                 "extensions": {"https://x.example.org/ext/cohort": None}},
        attachments=[{"usageType": "http://adlnet.gov/expapi/attachments/signature",
                      "display": {"en": "Signature"}, "contentType": "text/plain",
                      "length": 12, "sha2": "a" * 64}],
        version="1.0.3", stored="2026-12-07T09:30:01+01:00",
        authority={"objectType": "Agent",
                   "account": {"homePage": "https://lrs.example.org", "name": "k"}},
    )
    assert violations(full) == []
    check_statement(full)


def test_the_smallest_statement_is_valid():
    assert violations({"actor": {"mbox": "mailto:a@b.org"},
                       "verb": {"id": "urn:x:did"},
                       "object": {"id": "urn:x:thing"}}) == []


# -- the statement --------------------------------------------------------------------
@pytest.mark.parametrize("key", ["actor", "verb", "object"])
def test_statement_actor_verb_object_required(key):
    assert (key, f"statement.{key}-required") in broken(statement(**{key: ...}))


def test_statement_properties_only_those_of_the_specification():
    assert ("colour", "statement.properties") in broken(statement(colour="red"))


def test_statement_no_null_outside_extensions():
    assert ("result", "statement.no-null") in broken(statement(result=None))
    assert violations(statement(
        result={"extensions": {"https://x.example.org/e": None}})) == []


@pytest.mark.parametrize("value", ["12345", "fd41c918b88b4b20a0a5a4c32391aaa0", 7,
                                   "fd41c918-b88b-4b20-a0a5-a4c32391aaaz"])
def test_statement_id_uuid(value):
    assert ("id", "statement.id-uuid") in broken(statement(id=value))


@pytest.mark.parametrize("value", ["1.0", "1.0.0", "1.0.3", "1.0.17"])
def test_statement_version_1_0_accepted(value):
    assert violations(statement(version=value)) == []


@pytest.mark.parametrize("value", ["0.95", "1.1.0", "2.0.0", "1.0.x", 1.0])
def test_statement_version_1_0_refused_otherwise(value):
    assert ("version", "statement.version-1.0") in broken(statement(version=value))


@pytest.mark.parametrize("value", ["2026-12-07", "2026-12-07 09:30:00Z",
                                   "2026-13-07T09:30:00Z", "2026-02-30T09:30:00Z",
                                   "yesterday", 1733563800])
def test_statement_timestamp_iso8601(value):
    assert ("timestamp", "statement.timestamp-iso8601") in broken(
        statement(timestamp=value))


def test_statement_timestamp_iso8601_negative_zero_offset_refused():
    assert ("timestamp", "statement.timestamp-iso8601") in broken(
        statement(timestamp="2026-12-07T09:30:00-00:00"))
    assert violations(statement(timestamp="2026-12-07T09:30:00+00:00")) == []
    assert violations(statement(timestamp="2026-12-07T09:30:00-05:00")) == []


def test_statement_object_a_json_object():
    assert rules([1, 2]) == {"statement.object"}


# -- actors ---------------------------------------------------------------------------
def test_agent_exactly_one_ifi_none():
    assert ("actor", "agent.exactly-one-ifi") in broken(
        statement(actor={"name": "nobody"}))


def test_agent_exactly_one_ifi_two():
    assert ("actor", "agent.exactly-one-ifi") in broken(statement(actor={
        "mbox": "mailto:a@b.org", "openid": "https://openid.example.org/a"}))


@pytest.mark.parametrize("mbox", ["a@b.org", "mailto:", "MAILTO:a@b.org",
                                  "mailto:no-at-sign", 3])
def test_agent_mbox_mailto(mbox):
    assert ("actor.mbox", "agent.mbox-mailto") in broken(
        statement(actor={"mbox": mbox}))


def test_agent_mbox_sha1sum_hex():
    assert ("actor.mbox_sha1sum", "agent.mbox-sha1sum-hex") in broken(
        statement(actor={"mbox_sha1sum": "xyz"}))
    assert violations(statement(actor={"mbox_sha1sum": "a" * 40})) == []


def test_agent_openid_uri():
    assert ("actor.openid", "agent.openid-uri") in broken(
        statement(actor={"openid": "not a uri"}))


def test_account_home_page_required_and_name_required():
    found = broken(statement(actor={"account": {}}))
    assert ("actor.account", "account.home-page-required") in found
    assert ("actor.account", "account.name-required") in found


def test_account_home_page_irl():
    assert ("actor.account.homePage", "account.home-page-irl") in broken(
        statement(actor={"account": {"homePage": "idp", "name": "jo"}}))


def test_agent_properties_no_member_on_an_agent():
    assert ("actor.member", "agent.properties") in broken(statement(
        actor={"mbox": "mailto:a@b.org", "member": []}))


def test_agent_object_type_agent_or_group():
    assert ("actor.objectType", "agent.object-type") in broken(statement(
        actor={"objectType": "Person", "mbox": "mailto:a@b.org"}))


def test_group_anonymous_has_members():
    assert ("actor.member", "group.anonymous-has-members") in broken(
        statement(actor={"objectType": "Group", "name": "Nobody"}))


def test_group_identified_without_members_is_valid():
    assert violations(statement(actor={"objectType": "Group",
                                       "mbox": "mailto:team@b.org"})) == []


def test_group_at_most_one_ifi():
    assert ("actor", "group.at-most-one-ifi") in broken(statement(actor={
        "objectType": "Group", "mbox": "mailto:t@b.org",
        "openid": "https://openid.example.org/t"}))


def test_group_members_are_agents():
    assert ("actor.member[0]", "group.members-are-agents") in broken(statement(actor={
        "objectType": "Group",
        "member": [{"objectType": "Group", "mbox": "mailto:t@b.org"}]}))


def test_group_members_each_an_agent_with_one_ifi():
    assert ("actor.member[1]", "agent.exactly-one-ifi") in broken(statement(actor={
        "objectType": "Group",
        "member": [{"mbox": "mailto:a@b.org"}, {"name": "no identifier"}]}))


# -- verb -----------------------------------------------------------------------------
def test_verb_id_required():
    assert ("verb", "verb.id-required") in broken(
        statement(verb={"display": {"en": "did"}}))


@pytest.mark.parametrize("value", ["completed", "", "http://a b.org/x", 12])
def test_verb_id_iri(value):
    assert ("verb.id", "verb.id-iri") in broken(statement(verb={"id": value}))


def test_language_map_tag_in_verb_display():
    assert ("verb.display.en_US", "language-map.tag") in broken(statement(
        verb={"id": "urn:x:did", "display": {"en_US": "did"}}))


def test_language_map_string_values():
    assert ("verb.display.en", "language-map.string") in broken(statement(
        verb={"id": "urn:x:did", "display": {"en": ["did"]}}))


def test_language_map_object():
    assert ("verb.display", "language-map.object") in broken(statement(
        verb={"id": "urn:x:did", "display": "did"}))


# -- objects --------------------------------------------------------------------------
def test_object_object_type():
    assert ("object.objectType", "object.object-type") in broken(
        statement(object={"objectType": "Course", "id": "urn:x:c"}))


def test_activity_id_required():
    assert ("object", "activity.id-required") in broken(
        statement(object={"objectType": "Activity"}))


def test_activity_id_iri():
    assert ("object.id", "activity.id-iri") in broken(
        statement(object={"id": "ethics course"}))


def test_definition_type_iri_and_more_info_irl():
    found = broken(statement(object={"id": "urn:x:c", "definition": {
        "type": "course", "moreInfo": "urn:x:more"}}))
    assert ("object.definition.type", "definition.type-iri") in found
    assert ("object.definition.moreInfo", "definition.more-info-irl") in found


def test_interaction_type():
    assert ("object.definition.interactionType", "interaction.type") in broken(
        statement(object={"id": "urn:x:q", "definition": {
            "interactionType": "essay"}}))


def test_interaction_components_for_type():
    assert ("object.definition.scale", "interaction.components-for-type") in broken(
        statement(object={"id": "urn:x:q", "definition": {
            "interactionType": "choice", "correctResponsesPattern": ["a"],
            "scale": [{"id": "1"}]}}))


def test_interaction_component_id_unique():
    assert ("object.definition.choices[1]", "interaction.component-id-unique") in \
        broken(statement(object={"id": "urn:x:q", "definition": {
            "interactionType": "choice",
            "choices": [{"id": "a"}, {"id": "a"}]}}))


def test_agent_as_object_states_object_type_and_one_ifi():
    assert violations(statement(object={"objectType": "Agent",
                                        "mbox": "mailto:b@b.org"})) == []
    assert ("object", "agent.exactly-one-ifi") in broken(
        statement(object={"objectType": "Agent", "name": "b"}))


def test_statement_ref_id_uuid():
    assert ("object.id", "statement-ref.id-uuid") in broken(
        statement(object={"objectType": "StatementRef", "id": "s-1"}))


def test_statement_ref_properties():
    assert ("object.definition", "statement-ref.properties") in broken(statement(
        object={"objectType": "StatementRef", "id": OTHER_ID, "definition": {}}))


SUB = {"objectType": "SubStatement", "actor": {"mbox": "mailto:a@b.org"},
       "verb": {"id": "urn:x:will-attend"}, "object": {"id": "urn:x:class"}}


def test_substatement_valid():
    assert violations(statement(object=copy.deepcopy(SUB))) == []


@pytest.mark.parametrize("key,value", [
    ("id", OTHER_ID), ("stored", "2026-01-01T00:00:00Z"), ("version", "1.0.3"),
    ("authority", {"mbox": "mailto:k@b.org"})])
def test_substatement_forbidden_property(key, value):
    assert (f"object.{key}", "substatement.forbidden-property") in broken(
        statement(object={**SUB, key: value}))


def test_substatement_no_nesting():
    assert ("object.object", "substatement.no-nesting") in broken(
        statement(object={**SUB, "object": dict(SUB)}))


def test_substatement_checked_like_a_statement():
    assert ("object.actor", "agent.exactly-one-ifi") in broken(
        statement(object={**SUB, "actor": {"name": "x"}}))


# -- result ---------------------------------------------------------------------------
@pytest.mark.parametrize("scaled", [1.01, -1.5, 2])
def test_score_scaled_range(scaled):
    assert ("result.score.scaled", "score.scaled-range") in broken(
        statement(result={"score": {"scaled": scaled}}))


@pytest.mark.parametrize("scaled", [-1, 0, 0.5, 1])
def test_score_scaled_range_bounds_included(scaled):
    assert violations(statement(result={"score": {"scaled": scaled}})) == []


def test_score_raw_within_min_max():
    assert ("result.score.raw", "score.raw-within-min-max") in broken(
        statement(result={"score": {"raw": 101, "min": 0, "max": 100}}))
    assert ("result.score.raw", "score.raw-within-min-max") in broken(
        statement(result={"score": {"raw": -1, "min": 0}}))


def test_score_min_below_max():
    assert ("result.score", "score.min-below-max") in broken(
        statement(result={"score": {"min": 10, "max": 10}}))


def test_score_number():
    assert ("result.score.raw", "score.number") in broken(
        statement(result={"score": {"raw": "85"}}))
    assert ("result.score.scaled", "score.number") in broken(
        statement(result={"score": {"scaled": True}}))


@pytest.mark.parametrize("value", ["PT1H30M", "P2D", "P1Y2M3DT4H5M6.7S", "P3W",
                                   "PT0S", "PT0.5S"])
def test_result_duration_iso8601_accepted(value):
    assert violations(statement(result={"duration": value})) == []


@pytest.mark.parametrize("value", ["1h30", "P", "PT", "P1H", "PT1D", "90", 90,
                                   "P1W2D"])
def test_result_duration_iso8601_refused(value):
    assert ("result.duration", "result.duration-iso8601") in broken(
        statement(result={"duration": value}))


def test_result_success_and_completion_boolean():
    found = rules(statement(result={"success": "yes", "completion": 1}))
    assert {"result.success-boolean", "result.completion-boolean"} <= found


# -- context --------------------------------------------------------------------------
def test_context_registration_uuid():
    assert ("context.registration", "context.registration-uuid") in broken(
        statement(context={"registration": "r-1"}))


@pytest.mark.parametrize("key", ["revision", "platform"])
def test_context_revision_and_platform_only_for_activity(key):
    agent = {"objectType": "Agent", "mbox": "mailto:b@b.org"}
    assert (f"context.{key}", f"context.{key}-only-for-activity") in broken(
        statement(object=agent, context={key: "x"}))
    ref = {"objectType": "StatementRef", "id": OTHER_ID}
    assert (f"context.{key}", f"context.{key}-only-for-activity") in broken(
        statement(object=ref, context={key: "x"}))
    assert violations(statement(context={key: "x"})) == []


def test_context_team_group():
    assert ("context.team", "context.team-group") in broken(
        statement(context={"team": {"mbox": "mailto:a@b.org"}}))


def test_context_language_tag():
    assert ("context.language", "context.language-tag") in broken(
        statement(context={"language": "fr FR"}))


def test_context_activities_keys():
    assert ("context.contextActivities.siblings", "context-activities.keys") in \
        broken(statement(context={"contextActivities": {"siblings": [ACTIVITY]}}))


def test_context_activities_are_activities():
    assert ("context.contextActivities.parent[0]", "context-activities.activity") in \
        broken(statement(context={"contextActivities": {
            "parent": [{"objectType": "Agent", "mbox": "mailto:a@b.org"}]}}))


def test_context_statement_is_a_statement_ref():
    assert ("context.statement.objectType", "statement-ref.object-type") in broken(
        statement(context={"statement": {"id": OTHER_ID}}))


# -- extensions -----------------------------------------------------------------------
@pytest.mark.parametrize("where", ["result", "context"])
def test_extensions_key_iri(where):
    assert (f"{where}.extensions.attempts", "extensions.key-iri") in broken(
        statement(**{where: {"extensions": {"attempts": 2}}}))


def test_extensions_key_iri_in_activity_definition():
    assert ("object.definition.extensions.level", "extensions.key-iri") in broken(
        statement(object={"id": "urn:x:c", "definition": {
            "extensions": {"level": 1}}}))


# -- attachments ----------------------------------------------------------------------
def test_attachment_required():
    assert {"attachment.required"} == rules(statement(attachments=[{
        "usageType": "urn:x:u", "display": {"en": "x"}, "contentType": "text/plain",
        "length": 2}]))


def test_attachment_sha2_hex_and_length_integer():
    found = rules(statement(attachments=[{
        "usageType": "urn:x:u", "display": {"en": "x"}, "contentType": "text/plain",
        "length": "2", "sha2": "nothex"}]))
    assert {"attachment.sha2-hex", "attachment.length-integer"} <= found


# -- voiding --------------------------------------------------------------------------
def test_voiding_object_statement_ref():
    voided = {"id": "http://adlnet.gov/expapi/verbs/voided"}
    assert ("object", "voiding.object-statement-ref") in broken(
        statement(verb=voided))
    assert violations(statement(verb=voided, object={
        "objectType": "StatementRef", "id": OTHER_ID})) == []


# -- batches and the error ------------------------------------------------------------
def test_batch_ids_unique():
    with pytest.raises(StatementInvalid) as refused:
        check_statements([statement(), statement()])
    assert [(v.path, v.rule) for v in refused.value.violations] == [
        ("[1].id", "batch.ids-unique")]


def test_the_refusal_names_every_broken_rule_and_where():
    with pytest.raises(StatementInvalid) as refused:
        check_statement(statement(actor={"mbox": "a@b.org"}, verb={"id": "x"}))
    message = str(refused.value)
    assert "actor.mbox" in message and "[agent.mbox-mailto]" in message
    assert "verb.id" in message and "[verb.id-iri]" in message
    assert refused.value.violations[0].as_dict().keys() == {"path", "rule", "detail"}


def test_agent_violations_of_a_query_s_agent_alone():
    assert agent_violations({"mbox": "mailto:a@b.org"}) == []
    assert [(v.path, v.rule) for v in agent_violations({"mbox": "a@b.org"})] == [
        ("agent.mbox", "agent.mbox-mailto")]
    assert is_iri("urn:x:y") and not is_iri("not an iri") and not is_iri(3)
    assert is_uuid(ID) and not is_uuid("x")
