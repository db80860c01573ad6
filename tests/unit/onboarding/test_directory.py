"""The operators' list of institutions and each one's admins: invited, removed, never
the last one."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.common.db import utcnow
from services.onboarding import directory, invitations, surge_view
from services.onboarding.contracts.errors import Conflict, LastAdmin, NotFound


def test_the_list_is_newest_first_filtered_and_keyset_paged(
        sessions, approved_institution, active_institution):
    lille = approved_institution(name="Lycée Faidherbe", city="Lille")
    liege, _ = active_institution(name="Athénée de Liège", city="Liège", country="BE",
                                  timezone="Europe/Brussels")
    paris, _ = active_institution(name="Lycée Henri-IV", city="Paris")
    with sessions.begin() as session:
        def ids(**filters):
            return [i.id for i in directory.list_institutions(session, **filters)]

        assert ids() == [paris, liege, lille]
        assert ids(text="LYCÉE") == [paris, lille]  # any case, name or city
        assert ids(text="lièg") == [liege]
        assert ids(text="100%_") == []  # the pattern's signs are plain text
        assert ids(country="be") == [liege]
        assert ids(status="approved") == [lille]
        assert ids(ids=[lille, paris]) == [paris, lille]  # the ones on a plan
        assert ids(ids=[]) == []
        first = ids(limit=2)
        assert first == [paris, liege]
        assert ids(limit=2, before=first[-1]) == [lille]


def test_an_admin_is_removed_but_never_the_last(sessions, active_institution):
    institution_id, invite = active_institution()
    with sessions.begin() as session:
        with pytest.raises(LastAdmin, match="last admin"):
            directory.remove_admin(session, institution_id, invite.member_id)
    with sessions.begin() as session:
        member, second = directory.invite_admin(
            session, institution_id, "Adjoint@School-1.fr", now=utcnow())
    assert second.email == "adjoint@school-1.fr" and second.token
    with sessions.begin() as session:  # the invitation works like the first admin's
        assert invitations.usable_invitation(
            session, second.token, now=utcnow()).role == "institution_admin"
    with sessions.begin() as session:
        with pytest.raises(Conflict, match="member of the institution already"):
            directory.invite_admin(session, institution_id, "adjoint@school-1.fr",
                                   now=utcnow())
    with sessions.begin() as session:
        removed = directory.remove_admin(session, institution_id, member.id)
    assert (removed.email, removed.admins_left) == ("adjoint@school-1.fr", 1)
    with sessions.begin() as session:
        assert [a.id for a in directory.admins_of(session, institution_id)] == [
            invite.member_id]
        with pytest.raises(NotFound):  # removed already, or another institution's
            directory.remove_admin(session, institution_id, member.id)
        with pytest.raises(LastAdmin):
            directory.remove_admin(session, institution_id, invite.member_id)


def test_an_institution_not_yet_active_gets_no_second_admin(
        sessions, approved_institution):
    institution_id = approved_institution()
    with sessions.begin() as session, pytest.raises(Conflict, match="not active"):
        directory.invite_admin(session, institution_id, "a@b.fr", now=utcnow())


def test_activations_are_counted_per_hour_for_the_last_day():
    now = utcnow().replace(minute=30)
    moments = [now, now - timedelta(minutes=20), now - timedelta(hours=2),
               now - timedelta(hours=30)]
    hours = surge_view.per_hour(moments, now)
    assert len(hours) == 24
    assert hours[-1]["activated"] == 2 and hours[-3]["activated"] == 1
    assert sum(h["activated"] for h in hours) == 3  # a day and more ago: not shown
