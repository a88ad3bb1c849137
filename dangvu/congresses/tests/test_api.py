"""The congress API at /api/v1/congress-rounds/, seen by each persona.

The round is the province's round of affiliated-cell congresses (conftest): cell_a and school_cell
in commune A, cell_b in commune B; today is 15/12/2025, past the deadline of 30/11/2025.
"""

from __future__ import annotations

import datetime

import pytest

from dangvu.accounts.services import api_token_create
from dangvu.congresses import selectors
from dangvu.congresses.choices import Position
from dangvu.congresses.models import CommitteeMembership
from dangvu.congresses.schemas import ratio_value
from dangvu.core.formats import fmt_percent

from .conftest import congress_of, record, seat

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]

URL = "/api/v1/congress-rounds/"
D = datetime.date


def ok(response, status=200):
    assert response.status_code == status, response.content.decode()
    return response.json()


def error(response, status):
    assert response.status_code == status, response.content.decode()
    body = response.json()
    assert set(body) >= {"detail", "field"}
    return body


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def held(cell_round, org_tree, people, province_staff):
    """cell_a held its congress on 10/09/2025; school_cell planned for 20/12/2025."""
    from dangvu.congresses import services

    record(
        province_staff,
        congress_of(cell_round, org_tree.cell_a),
        [seat(people.an, Position.SECRETARY), seat(people.binh, Position.DEPUTY), seat(people.chi)],
    )
    services.congress_plan(
        actor=province_staff,
        congress=congress_of(cell_round, org_tree.school_cell),
        planned_on=D(2025, 12, 20),
    )
    return cell_round


def result_body(people, **overrides):
    body = {
        "held_on": "2025-12-01",
        "summoned": 12,
        "attending": 10,
        "official_members": 9,
        "seats": [
            {"member_id": people.an.pk, "position": "secretary", "votes_for": 9, "votes_valid": 10},
            {"member_id": people.binh.pk, "position": "deputy", "votes_for": 8, "votes_valid": 10},
            {"member_id": people.chi.pk, "votes_for": 7, "votes_valid": 10},
        ],
    }
    body.update(overrides)
    return body


# --- Rounds ------------------------------------------------------------------------------------


def test_the_api_needs_a_login(client, cell_round):
    assert error(client.get(URL), 401)["detail"] == "Chưa đăng nhập hoặc mã truy cập không hợp lệ."


def test_rounds_are_listed_for_the_province_and_the_cells_below(as_user, cell_round, cell_secretary):
    body = ok(as_user(cell_secretary).get(URL))
    assert body["count"] == 1
    rnd = body["items"][0]
    assert (rnd["id"], rnd["level"], rnd["term_label"], rnd["state"]) == (
        cell_round.pk,
        "cell",
        "2025–2027",
        "open",
    )
    assert rnd["name"] == "Đại hội chi bộ trực thuộc nhiệm kỳ 2025–2027"
    assert rnd["legal_basis"] == cell_round.legal_basis.label and rnd["deadline"] == "2025-11-30"


def test_an_outsider_sees_no_round(as_user, cell_round, outsider):
    client = as_user(outsider)
    assert ok(client.get(URL))["count"] == 0
    error(client.get(f"{URL}{cell_round.pk}"), 404)
    error(client.get(f"{URL}{cell_round.pk}/progress"), 404)
    error(client.get(f"{URL}{cell_round.pk}/congresses"), 404)


def test_rounds_filtered_by_organization_and_state(as_user, cell_round, org_tree, commune_a_staff):
    client = as_user(commune_a_staff)
    assert ok(client.get(URL, {"organization": org_tree.cell_a.pk}))["count"] == 1
    assert ok(client.get(URL, {"state": "closed"}))["count"] == 0
    error(client.get(URL, {"organization": org_tree.commune_b.pk}), 404)


# --- Progress ----------------------------------------------------------------------------------


def test_progress_at_the_province_counts_every_cell(as_user, held, org_tree, province_staff):
    body = ok(as_user(province_staff).get(f"{URL}{held.pk}/progress"))
    assert body["organization"]["id"] == org_tree.province.pk and body["as_of"] == "2025-12-15"
    assert (body["held"], body["total"], body["ratio"], body["ratio_text"]) == (1, 3, 33.33, "1/3 (33,33%)")
    assert (body["planned"], body["overdue"]) == (1, 2)  # the deadline 30/11/2025 has passed
    assert body["round"] == {
        "id": held.pk,
        "name": held.name,
        "level": "cell",
        "term_label": "2025–2027",
        "deadline": "2025-11-30",
    }
    rows = {c["name"]: c for c in body["children"]}
    a, b = rows["Đảng bộ xã An Bình"], rows["Đảng bộ phường Bắc Sơn"]
    assert (a["held"], a["total"], a["ratio"], a["ratio_text"], a["planned"], a["overdue"]) == (
        1,
        2,
        50.0,
        "1/2 (50,00%)",
        1,
        1,
    )
    assert (b["held"], b["total"], b["ratio"], b["overdue"], b["drillable"]) == (0, 1, 0.0, 1, True)
    prog = selectors.progress(held, org_tree.province)
    assert [(c["id"], c["held"], c["total"]) for c in body["children"]] == [
        (r.id, r.held, r.total) for r in prog.children
    ]


def test_progress_as_of_a_past_date(as_user, held, org_tree, commune_a_staff):
    client = as_user(commune_a_staff)
    before = ok(client.get(f"{URL}{held.pk}/progress", {"as_of": "2025-09-09"}))
    assert body_figures(before) == (0, 2, 0.0, 0)  # one day before, nothing held, not yet late
    on_the_day = ok(client.get(f"{URL}{held.pk}/progress", {"as_of": "2025-09-10"}))
    assert body_figures(on_the_day) == (1, 2, 50.0, 0)
    assert on_the_day["organization"]["id"] == org_tree.commune_a.pk  # where the commune's view starts


def body_figures(body):
    return body["held"], body["total"], body["ratio"], body["overdue"]


def test_progress_refuses_a_future_date_and_a_malformed_one(as_user, held, province_staff):
    client = as_user(province_staff)
    body = error(client.get(f"{URL}{held.pk}/progress", {"as_of": "2025-12-16"}), 400)
    assert body["field"] == "as_of" and "16/12/2025 ở tương lai" in body["detail"]
    body = error(client.get(f"{URL}{held.pk}/progress", {"as_of": "16/12/2025"}), 422)
    assert body["field"] == "as_of"


def test_progress_with_no_congress_has_no_ratio(as_user, held, org_tree, province_staff):
    body = ok(as_user(province_staff).get(f"{URL}{held.pk}/progress", {"organization": org_tree.group_a.pk}))
    assert (body["total"], body["ratio"], body["ratio_text"], body["children"]) == (0, None, "0/0 (—)", [])


def test_commune_b_token_cannot_read_commune_a(client, held, org_tree, commune_b_staff):
    _, raw = api_token_create(user=commune_b_staff, name="test")
    headers = {"Authorization": f"Bearer {raw}"}
    url = f"{URL}{held.pk}/progress"
    mine = ok(client.get(url, headers=headers))
    assert mine["organization"]["id"] == org_tree.commune_b.pk and mine["ratio_text"] == "0/1 (0,00%)"
    error(client.get(url, {"organization": org_tree.commune_a.pk}, headers=headers), 404)
    error(client.get(url, {"organization": org_tree.province.pk}, headers=headers), 404)
    listed = ok(client.get(f"{URL}{held.pk}/congresses", headers=headers))
    assert [c["organization"]["id"] for c in listed["items"]] == [org_tree.cell_b.pk]
    congress = congress_of(held, org_tree.cell_a)
    error(client.get(f"{URL}{held.pk}/congresses/{congress.pk}", headers=headers), 404)


def test_an_organization_outside_the_round_is_refused(as_user, held, org_tree, system_admin):
    body = error(
        as_user(system_admin).get(f"{URL}{held.pk}/progress", {"organization": org_tree.central.pk}), 400
    )
    assert (
        body["field"] == "organization" and body["detail"] == "Tổ chức này không thuộc phạm vi đợt đại hội."
    )


# --- Congresses --------------------------------------------------------------------------------


def test_congresses_list_with_the_elected_committee(as_user, held, org_tree, people, commune_a_staff):
    client = as_user(commune_a_staff)
    body = ok(client.get(f"{URL}{held.pk}/congresses"))
    assert [c["organization"]["name"] for c in body["items"]] == ["Chi bộ thôn Đông", "Chi bộ giáo viên"]
    cell_a = body["items"][0]
    assert (cell_a["held_on"], cell_a["summoned"], cell_a["attending"], cell_a["committee_size"]) == (
        "2025-09-10",
        12,
        10,
        3,
    )
    assert [(s["member"]["full_name"], s["position_label"]) for s in cell_a["elected"]] == [
        ("Nguyễn Văn An", "Bí thư"),
        ("Trần Thị Bình", "Phó Bí thư"),
        ("Lê Văn Chi", "Ủy viên"),
    ]
    missing = ok(client.get(f"{URL}{held.pk}/congresses", {"held": "false"}))
    assert [(c["organization"]["name"], c["planned_on"]) for c in missing["items"]] == [
        ("Chi bộ giáo viên", "2025-12-20")
    ]
    done = ok(client.get(f"{URL}{held.pk}/congresses", {"held": "true", "organization": org_tree.cell_a.pk}))
    assert done["count"] == 1


def test_congresses_list_query_count_is_flat(as_user, held, province_staff, django_assert_max_num_queries):
    client = as_user(province_staff)
    with django_assert_max_num_queries(12):
        body = ok(client.get(f"{URL}{held.pk}/congresses"))
    assert body["count"] == 3


# --- Recording a congress ----------------------------------------------------------------------


def test_recording_a_congress_moves_the_figures_of_commune_and_province(
    as_user, cell_round, org_tree, people, cell_secretary, province_staff
):
    congress = congress_of(cell_round, org_tree.cell_a)
    url = f"{URL}{cell_round.pk}/congresses/{congress.pk}/result"
    body = ok(post(as_user(cell_secretary), url, result_body(people)))
    assert body["held_on"] == "2025-12-01" and len(body["elected"]) == 3
    assert body["elected"][0]["first_time"] is True
    seats = CommitteeMembership.objects.filter(congress=congress)
    assert seats.get(position="secretary").member == people.an

    client = as_user(province_staff)
    province = ok(client.get(f"{URL}{cell_round.pk}/progress"))
    commune = ok(client.get(f"{URL}{cell_round.pk}/progress", {"organization": org_tree.commune_a.pk}))
    assert province["ratio_text"] == "1/3 (33,33%)" and commune["ratio_text"] == "1/2 (50,00%)"


def test_a_broken_rule_answers_400_with_the_rule(as_user, cell_round, org_tree, people, province_staff):
    congress = congress_of(cell_round, org_tree.cell_a)
    url = f"{URL}{cell_round.pk}/congresses/{congress.pk}/result"
    client = as_user(province_staff)
    body = error(post(client, url, result_body(people, attending=7)), 400)  # 7 of 12 is short of 2/3
    assert body["field"] == "attending" and "2/3" in body["detail"]
    seats = result_body(people)["seats"]
    seats[2]["votes_for"] = 5  # 5 of 10 valid ballots is not more than half
    body = error(post(client, url, result_body(people, seats=seats)), 400)
    assert body["field"] == "seats" and "Lê Văn Chi" in body["detail"]
    body = error(post(client, url, result_body(people, held_on="2025-12-16")), 400)
    assert body["field"] == "held_on"
    assert congress_of(cell_round, org_tree.cell_a).held_on is None


def test_a_malformed_result_answers_422(as_user, cell_round, org_tree, people, province_staff):
    congress = congress_of(cell_round, org_tree.cell_a)
    url = f"{URL}{cell_round.pk}/congresses/{congress.pk}/result"
    client = as_user(province_staff)
    body = error(post(client, url, result_body(people, summoned="mười hai")), 422)
    assert body["field"] == "summoned"
    body = error(post(client, url, result_body(people, seats=[])), 422)
    assert body["field"] == "seats"
    bad_position = result_body(people)
    bad_position["seats"][0]["position"] = "president"
    assert error(post(client, url, bad_position), 422)["field"] == "seats.0.position"


def test_recording_is_scoped(as_user, cell_round, org_tree, people, commune_b_staff, outsider, member):
    congress = congress_of(cell_round, org_tree.cell_a)
    url = f"{URL}{cell_round.pk}/congresses/{congress.pk}/result"
    error(post(as_user(outsider), url, result_body(people)), 404)
    error(post(as_user(commune_b_staff), url, result_body(people)), 404)
    error(post(as_user(member), url, result_body(people)), 403)  # sees the cell, may not record
    theirs = congress_of(cell_round, org_tree.cell_b)
    other = f"{URL}{cell_round.pk}/congresses/{theirs.pk}/result"
    error(post(as_user(commune_b_staff), other, result_body(people)), 404)  # A's members are not B's to see
    assert congress_of(cell_round, org_tree.cell_a).held_on is None


def test_rounds_and_progress_query_counts_are_flat(
    as_user, held, province_staff, django_assert_max_num_queries
):
    client = as_user(province_staff)
    with django_assert_max_num_queries(8):
        ok(client.get(URL))
    with django_assert_max_num_queries(9):
        ok(client.get(f"{URL}{held.pk}/progress"))


def test_the_ratio_rounds_half_up_like_the_text():
    assert (ratio_value(1, 800), fmt_percent(1, 800)) == (0.13, "0,13%")
    assert ratio_value(1352, 1719) == 78.65 and ratio_value(0, 0) is None and ratio_value(3, None) is None
