"""An institution's staff follow their learners over HTTP, through the real processes:
the learners table, the CSV export, the dashboard after progress, and the 403 that
says why once the licence is revoked."""

from __future__ import annotations

import csv
import io

import pytest

from tests.support.platform import start_platform, stop_platform
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e

APPLICATION = {
    "name": "Lycée du Suivi",
    "type": "secondary_school",
    "country": "FR",
    "city": "Nantes",
    "website": "https://www.lycee-suivi.fr",
    "contact": {"name": "Claire Morin", "email": "claire.morin@lycee-suivi.fr",
                "role": "Proviseure adjointe"},
    "expected_learners": 5,
    "languages": ["fr"],
    "timezone": "Europe/Paris",
}
# six learners for five seats; names with a `;` and with quotes must survive the export
ROSTER = (
    "email,first_name,last_name,cohort\r\n"
    "ana.roux@lycee-suivi.fr,Ana,Roux,1ère A\r\n"
    'jean.dupont@lycee-suivi.fr,"Jean ""Jo""","Dupont; fils",1ère A\r\n'
    "lou.blanc@lycee-suivi.fr,Lou,Blanc,1ère B\r\n"
    "eli.martin@lycee-suivi.fr,Éli,Martin,1ère B\r\n"
    "max.durand@lycee-suivi.fr,Max,Durand,1ère A\r\n"
    "zoe.petit@lycee-suivi.fr,Zoé,Petit,1ère B\r\n"
)




@pytest.fixture
def platform(tmp_path, rabbit_config, pg_base_url):
    running = start_platform(tmp_path, rabbit_config["AMQP_URI"], pg_base_url)
    yield running
    assert stop_platform(running) == 0, running.log()[-3000:]


def test_staff_follow_their_learners_until_the_licence_is_revoked(platform):
    p = platform
    application = p.api("POST", "/api/v1/applications", json=APPLICATION).json()
    status_url = application["status_url"].replace(p.url, "")
    active = wait_for(
        lambda: (r := p.api("GET", status_url).json())["status"] == "active" and r)
    inst = active["institution_id"]
    base = f"/api/v1/institutions/{inst}"
    admin = p.api("POST", "/api/v1/invitations/"
                  f"{p.invitation_token('claire.morin@lycee-suivi.fr')}/accept",
                  json={"password": "admin-password-1"}).json()["access_token"]
    upload = p.api("POST", f"{base}/rosters", admin, data=ROSTER.encode(),
                   headers={"Content-Type": "text/csv"})
    assert upload.status_code == 202, upload.text
    wait_for(lambda: p.api("GET", f"{base}/licence", admin)
             .json()["seats_waiting"] == 1)

    # the learners table is tracking's own, as soon as the seats reached it
    def table(**params):
        answer = p.api("GET", f"{base}/learners", admin, params=params)
        assert answer.status_code == 200, answer.text
        return answer.json()

    wait_for(lambda: sum(i["seated"] for i in table(limit=200)["items"]) == 5)
    names, cursor = [], None
    while True:
        page = table(limit=2, **({"cursor": cursor} if cursor else {}))
        assert len(page["items"]) <= 2
        names += [i["last_name"] for i in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert names == ["Blanc", "Dupont; fils", "Durand", "Martin", "Petit", "Roux"]
    cohort_b = table(cohort="1ère B")["items"]
    assert [i["first_name"] for i in cohort_b] == ["Lou", "Éli", "Zoé"]
    waiting = [i for i in table()["items"] if not i["seated"]]
    assert [i["email"] for i in waiting] == ["zoe.petit@lycee-suivi.fr"]
    assert p.api("GET", f"{base}/learners", admin,
                 params={"limit": "500"}).status_code == 422
    assert p.api("GET", f"{base}/learners", admin,
                 params={"cursor": "not-ours"}).status_code == 422

    # a learner completes a course: the dashboard and the table show it
    ana = p.api("POST", "/api/v1/invitations/"
                f"{p.invitation_token('ana.roux@lycee-suivi.fr')}/accept",
                json={"password": "learner-password-1"}).json()["access_token"]
    courses = p.api("GET", "/api/v1/courses", params={"limit": 100}).json()["items"]
    course = next(c for c in courses if not c["has_quiz"])
    course = p.api("GET", f"/api/v1/courses/{course['id']}").json()
    done = p.api("POST", "/api/v1/progress", ana, json={
        "id": "ana-1", "course_id": course["id"], "kind": "course_completed"})
    assert done.status_code == 201, done.text
    again = p.api("POST", "/api/v1/progress", ana, json={
        "id": "ana-1", "course_id": course["id"], "kind": "course_completed"})
    assert again.status_code == 200 and again.json()["duplicate"] is True

    board = p.api("GET", f"{base}/dashboard", admin).json()
    assert board["licence"]["seats_used"] == 5 and board["licence"]["seats_left"] == 0
    assert board["licence"]["days_left"] == 90
    assert board["totals"]["learners"] == 6 and board["totals"]["active_7d"] == 1
    assert board["totals"]["courses_completed"] == 1
    assert board["totals"]["skills_acquired"] == len(course["skills"])
    cohort_a = next(c for c in board["cohorts"] if c["cohort"] == "1ère A")
    assert (cohort_a["learners"], cohort_a["courses_completed"]) == (3, 1)
    roux = next(i for i in table()["items"] if i["last_name"] == "Roux")
    assert (roux["courses_started"], roux["courses_completed"]) == (1, 1)
    assert sorted(roux["skills"]) == sorted(course["skills"])
    assert roux["last_activity_at"] is not None

    # the CSV export: streamed, for a French spreadsheet
    export = p.api("GET", f"{base}/export.csv", admin)
    assert export.status_code == 200, export.text
    assert export.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert export.headers["Content-Disposition"].startswith(
        f'attachment; filename="learners-{inst}-')
    assert export.headers.get("Transfer-Encoding") == "chunked"
    raw = export.content
    assert raw.startswith(b"\xef\xbb\xbflearner_id;email;first_name;last_name;")
    text = raw.decode("utf-8-sig")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    assert '"Jean ""Jo""";"Dupont; fils";1ère A;' in text
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 6
    jean = next(r for r in rows if r["email"] == "jean.dupont@lycee-suivi.fr")
    assert (jean["first_name"], jean["last_name"]) == ('Jean "Jo"', "Dupont; fils")
    ana_row = next(r for r in rows if r["last_name"] == "Roux")
    assert (ana_row["courses_completed"], ana_row["seated"]) == ("1", "yes")
    only_b = p.api("GET", f"{base}/export.csv", admin, params={"cohort": "1ère B"})
    assert len(only_b.content.decode("utf-8-sig").split("\r\n")) == 1 + 3 + 1

    # a bigger roster: the export streams page after page (1,000 learners a page)
    more = "email,first_name,last_name,cohort\r\n" + "".join(
        f"eleve{n:04d}@lycee-suivi.fr,Élève,Nom{n:04d},Terminale\r\n"
        for n in range(1200))
    upload = p.api("POST", f"{base}/rosters", admin, data=more.encode(),
                   headers={"Content-Type": "text/csv"})
    assert upload.status_code == 202, upload.text
    wait_for(lambda: p.api("GET", f"{base}/dashboard", admin)
             .json()["totals"]["learners"] == 1206, timeout=60)
    with p.api("GET", f"{base}/export.csv", admin, stream=True) as big:
        assert big.headers.get("Transfer-Encoding") == "chunked"
        raw = b"".join(big.iter_content(chunk_size=None))
    lines = raw.decode("utf-8").split("\r\n")
    assert lines[0].startswith("\ufefflearner_id;") and raw.count(b"\xef\xbb\xbf") == 1
    assert len(lines) == 1 + 1206 + 1 and lines[-1] == ""
    assert len({line.split(";")[0] for line in lines[1:-1]}) == 1206  # no repeats

    # monitoring is for the institution's staff: a learner finds no such route
    for path in ("/dashboard", "/learners", "/export.csv"):
        assert p.api("GET", base + path, ana).status_code == 404

    # revoked by an operator: monitoring and progress answer 403 with the reason
    ops = p.api("POST", "/api/v1/auth/token", json={
        "email": "ops@continuity.test", "password": "operator-secret-1"}).json()
    licence_id = p.api("GET", f"{base}/licence", admin).json()["id"]
    revoked = p.api("POST", f"/api/v1/licences/{licence_id}/revocation",
                    ops["access_token"], json={"reason": "The school closed its space"})
    assert revoked.status_code == 200, revoked.text
    # the institution's tokens end (decision 0040); signed in again, its people
    # are told why they can do nothing more
    wait_for(lambda: p.api("GET", "/api/v1/me", admin).status_code == 401)
    admin, ana = (p.api("POST", "/api/v1/auth/token", json={
        "email": email, "password": password}).json()["access_token"]
        for email, password in (("claire.morin@lycee-suivi.fr", "admin-password-1"),
                                ("ana.roux@lycee-suivi.fr", "learner-password-1")))
    refused = wait_for(lambda: (r := p.api("GET", f"{base}/dashboard", admin))
                       .status_code == 403 and [r])[0]  # a 403 Response is falsy
    assert refused.headers["Content-Type"] == "application/problem+json"
    assert refused.json()["reason"] == "licence_revoked"
    for path in ("/learners", "/export.csv"):
        assert p.api("GET", base + path, admin).json()["reason"] == "licence_revoked"
    late = p.api("POST", "/api/v1/progress", ana, json={
        "course_id": course["id"], "kind": "course_completed"})
    assert (late.status_code, late.json()["reason"]) == (403, "licence_revoked")
