"""Steps of the journey that many end-to-end tests need, done through the gateway."""

from __future__ import annotations

from dataclasses import dataclass, field

from .platform import Platform
from .waiting import wait_for

OPERATOR = {"email": "ops@continuity.test", "password": "operator-secret-1"}
PROBLEM = "application/problem+json"


def problem(answer, status: int) -> dict:
    """The problem+json body of an error answer with ``status``."""
    assert answer.status_code == status, answer.text
    assert answer.headers["Content-Type"] == PROBLEM
    return answer.json()


def application(domain: str, learners: int = 10, language: str = "fr") -> dict:
    return {
        "name": f"Établissement {domain}", "type": "secondary_school", "country": "FR",
        "city": "Lille", "website": f"https://www.{domain}",
        "contact": {"name": "Camille Leroy", "email": f"direction@{domain}",
                    "role": "Direction"},
        "expected_learners": learners, "languages": [language], "timezone": "Europe/Paris",
    }


def login(p: Platform, email: str, password: str) -> str:
    answer = p.api("POST", "/api/v1/auth/token", json={"email": email, "password": password})
    assert answer.status_code == 200, answer.text
    return answer.json()["access_token"]


def operator(p: Platform) -> str:
    return login(p, **OPERATOR)


def accept(p: Platform, email: str, password: str) -> str:
    answer = p.api("POST", f"/api/v1/invitations/{p.invitation_token(email)}/accept",
                   json={"password": password})
    assert answer.status_code == 200, answer.text
    return answer.json()["access_token"]


@dataclass
class Institution:
    id: str
    application_id: str
    status_token: str
    admin: str  # bearer token
    learners: dict[str, str] = field(default_factory=dict)  # learner id → token
    learner_ids: list[str] = field(default_factory=list)
    licence_id: str = ""
    roster_job_id: str = ""


def activate(p: Platform, domain: str, seats: int = 10) -> Institution:
    """Apply, wait until active, set the admin's password."""
    answer = p.api("POST", "/api/v1/applications", json=application(domain, seats))
    assert answer.status_code == 202, answer.text
    applied = answer.json()
    status_url = applied["status_url"].replace(p.url, "")
    active = wait_for(lambda: (r := p.api("GET", status_url).json())["status"] == "active"
                      and r)
    return Institution(active["id"] and active["institution_id"], applied["id"],
                       applied["status_token"],
                       accept(p, f"direction@{domain}", "admin-password-1"))


def onboard(p: Platform, domain: str, learners: int = 2, seats: int = 10,
            accept_learners: int | None = None) -> Institution:
    """Apply, wait until active, set the admin's password, import and seat learners."""
    institution = activate(p, domain, seats)
    rows = "email,first_name,last_name,cohort\n" + "".join(
        f"eleve{n}@{domain},Élève,{n},Classe {n % 2}\n" for n in range(learners))
    upload = p.api("POST", f"/api/v1/institutions/{institution.id}/rosters",
                   institution.admin, data=rows.encode(),
                   headers={"Content-Type": "text/csv"})
    assert upload.status_code == 202, upload.text
    institution.roster_job_id = upload.json()["id"]
    licence = wait_for(lambda: (lic := p.api(
        "GET", f"/api/v1/institutions/{institution.id}/licence", institution.admin).json()
    )["seats_used"] + lic["seats_waiting"] == learners and lic)
    institution.licence_id = licence["id"]
    for n in range(learners if accept_learners is None else accept_learners):
        token = accept(p, f"eleve{n}@{domain}", "learner-password-1")
        me = p.api("GET", "/api/v1/me", token).json()
        institution.learners[me["id"]] = token
        institution.learner_ids.append(me["id"])
    return institution
