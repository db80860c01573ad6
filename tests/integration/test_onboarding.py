"""Onboarding in its containers: applications, activation, roster imports."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from unittest import mock

import eventlet
from nameko.standalone.rpc import ClusterRpcProxy

from services.licensing.contracts.events import LICENCE_ISSUED_V1
from services.onboarding import roster_jobs
from services.onboarding.service import OnboardingService
from tests.support.broker import publish_event
from tests.support.waiting import wait_for


def application(domain: str = "lycee-test.fr") -> dict:
    return {
        "name": "Lycée Test", "type": "secondary_school", "country": "FR",
        "city": "Lyon", "website": f"https://www.{domain}",
        "contact": {"name": "Anne", "email": f"anne@{domain}", "role": "Proviseure"},
        "expected_learners": 3000, "languages": ["fr"], "timezone": "Europe/Paris",
    }


def activate(uri: str, institution_id: str) -> None:
    now = datetime.now(UTC)
    publish_event(uri, LICENCE_ISSUED_V1, {
        "licence_id": str(uuid.uuid4()), "institution_id": institution_id,
        "plan": "spark", "seats": 3000, "starts_at": now.isoformat(),
        "ends_at": (now + timedelta(days=90)).isoformat(),
    })


def test_racing_twins_on_two_processes_get_one_application(
    container_factory, service_config, collect
):
    events = collect("onboarding", "institution.approved.v1")
    config = service_config("onboarding")
    for _ in range(2):
        container_factory(OnboardingService, config).start()
    def submit(key, body=None):  # one client each: a proxy is not shared by threads
        with ClusterRpcProxy(config) as rpc:
            return rpc.onboarding.submit_application(body or application(), key)

    keys = [None, "key-1", None, "key-2", None, None, "key-1", None]
    answers = list(eventlet.GreenPool().imap(submit, keys))
    # one application; its twins learn only that it exists (its contact is e-mailed),
    # but for the same Idempotency-Key, which gets the same answer
    assert len({a["id"] for a in answers if not a.get("duplicate")}) == 1
    assert sum(a.get("created", False) for a in answers) == 1
    def seen(answer):
        return {k: v for k, v in answer.items() if k != "created"}
    assert seen(answers[1]) == seen(answers[6])

    # other contacts for the same website, racing: each waits for review, none wins
    def stranger(n):
        body = application()
        body["contact"] = {**body["contact"], "email": f"autre{n}@lycee-test.fr"}
        return submit(None, body)

    assert list(eventlet.GreenPool().imap(stranger, range(4))) == [
        {"duplicate": True}] * 4
    events.drain(1.0)
    assert len(events.of("institution.approved.v1")) == 1
    with ClusterRpcProxy(config) as rpc:
        queue = rpc.onboarding.list_applications("needs_review")
    assert len(queue) == 4 and {a["duplicate_of"] for a in queue} == {
        next(a["id"] for a in answers if a.get("created"))}


def test_activation_invites_the_admin_and_a_roster_is_announced_in_batches(
    container_factory, service_config, collect, rabbit_config, tmp_path
):
    uri = rabbit_config["AMQP_URI"]
    activated = collect("onboarding", "institution.activated.v1")
    enrolled = collect("onboarding", "learners.enrolled.v1")
    config = service_config("onboarding", ROSTER_LEASE_SECONDS=5)
    container_factory(OnboardingService, config).start()
    with ClusterRpcProxy(config) as rpc:
        submitted = rpc.onboarding.submit_application(application(), None)
        institution_id = submitted["institution_id"]
        activate(uri, institution_id)
        activate(uri, institution_id)  # a second licence event changes nothing
        activated.wait(1)
        mails = wait_for(lambda: list((tmp_path / "var" / "mail").glob("anne@*.eml")))
        assert len(mails) == 1
        assert rpc.onboarding.get_institution(institution_id)["status"] == "active"

        rows = "\n".join(f"l{n}@lycee-test.fr,Prénom{n},Nom{n},Groupe {n % 4}"
                         for n in range(2500))
        job = rpc.onboarding.start_roster_import(
            institution_id, "email,first_name,last_name,cohort\n" + rows, "roster.csv")
        done = wait_for(lambda: (j := rpc.onboarding.get_roster_job(
            institution_id, job["id"]))["status"] == "done" and j, timeout=60)
    assert (done["rows_read"], done["imported"], done["rejected"]) == (2500, 2500, 0)
    batches = enrolled.wait(3, timeout=20)
    assert [len(b["data"]["learners"]) for b in batches] == [1000, 1000, 500]
    emails = [l["email"] for b in batches for l in b["data"]["learners"]]
    assert emails == [f"l{n}@lycee-test.fr" for n in range(2500)]  # file order
    activated.drain(0.5)
    assert len(activated.of("institution.activated.v1")) == 1


def test_an_import_survives_its_process_dying_and_imports_each_learner_once(
    container_factory, service_config, collect, rabbit_config
):
    uri = rabbit_config["AMQP_URI"]
    enrolled = collect("onboarding", "learners.enrolled.v1")
    config = service_config("onboarding", ROSTER_LEASE_SECONDS=2)
    total = 30_000
    # the first process dies amid its fourth batch, written and not committed: at a
    # known point however fast the machine (polling for "under way" could miss a
    # whole import on a quick machine, or wait past it on a busy one)
    real, batches, amid = roster_jobs.import_next_batch, [], eventlet.Event()

    def dies_amid_the_fourth_batch(*args, **kwargs):
        batch = real(*args, **kwargs)
        batches.append(batch)
        if len(batches) == 4:
            amid.send()
            eventlet.Event().wait()  # until the process is killed
        return batch

    dying = mock.patch.object(roster_jobs, "import_next_batch",
                              dies_amid_the_fourth_batch)
    dying.start()
    first = container_factory(OnboardingService, config)
    first.start()
    with ClusterRpcProxy(config) as rpc:
        institution_id = rpc.onboarding.submit_application(application("crash.fr"), None)[
            "institution_id"]
        activate(uri, institution_id)
        wait_for(lambda: rpc.onboarding.get_institution(institution_id)["status"] == "active")
        rows = "\n".join(f"l{n}@crash.fr;P{n};N{n};G{n % 7}" for n in range(total))
        job = rpc.onboarding.start_roster_import(
            institution_id, "email;first_name;last_name;cohort\n" + rows, None)
        with eventlet.Timeout(60):
            amid.wait()
        read = rpc.onboarding.get_roster_job(institution_id, job["id"])["rows_read"]
        assert 0 < read < total
        first.kill()  # dies mid-import: its open batch rolls back
        dying.stop()
        second = container_factory(OnboardingService, config)
        second.start()  # takes the job over once the lease has run out
        done = wait_for(lambda: (j := rpc.onboarding.get_roster_job(
            institution_id, job["id"]))["status"] == "done" and j, timeout=90)
    assert (done["rows_read"], done["imported"], done["duplicates"]) == (total, total, 0)

    def every_learner_announced() -> dict:
        enrolled.drain(0.3)
        events = {m["event_id"]: m for m in enrolled.of("learners.enrolled.v1")}
        return sum(len(e["data"]["learners"]) for e in events.values()) >= total \
            and events

    events = wait_for(every_learner_announced, timeout=30)
    emails = [l["email"] for e in events.values() for l in e["data"]["learners"]]
    assert len(emails) == total and len(set(emails)) == total


def test_a_class_sized_roster_is_done_when_its_upload_is_answered(
    container_factory, service_config, collect, rabbit_config, tmp_path
):
    uri = rabbit_config["AMQP_URI"]
    enrolled = collect("onboarding", "learners.enrolled.v1")
    config = service_config("onboarding")
    container_factory(OnboardingService, config).start()
    with ClusterRpcProxy(config) as rpc:
        submitted = rpc.onboarding.submit_application(application("class.fr"), None)
        institution_id = submitted["institution_id"]
        activate(uri, institution_id)
        wait_for(lambda: rpc.onboarding.get_institution(
            institution_id)["status"] == "active")
        rows = "\n".join(f"l{n}@class.fr;P{n};N{n};3e B" for n in range(28))
        content = "email;first_name;last_name;cohort\n" + rows + "\nbad;X;Y;Z"
        job = rpc.onboarding.start_roster_import(institution_id, content, "3eB.csv")
    assert (job["status"], job["rows_read"], job["imported"], job["rejected"]) == (
        "done", 29, 28, 1)
    assert job["errors"][0]["line"] == 30
    [batch] = enrolled.wait(1, timeout=10)
    assert [l["email"] for l in batch["data"]["learners"]] == [
        f"l{n}@class.fr" for n in range(28)]
    invitations = wait_for(lambda: len(list(
        (tmp_path / "var" / "mail").glob("l*@class.fr*.eml"))) == 28 or None)
    assert invitations
