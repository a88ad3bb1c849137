"""The quality review API at /api/v1/evaluation-rounds/, seen by each persona."""

from __future__ import annotations

import datetime

import pytest

from dangvu.evaluations import services
from dangvu.evaluations.choices import Level
from dangvu.evaluations.models import EvaluationRound, MemberRating
from dangvu.members import services as member_services

from .conftest import REFERENCE, enter, org_rating, rating_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]

URL = "/api/v1/evaluation-rounds/"
D = datetime.date


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def ok(response, status=200):
    assert response.status_code == status, response.content.decode()
    return response.json()


def error(response, status):
    assert response.status_code == status, response.content.decode()
    body = response.json()
    assert set(body) >= {"detail", "field"}
    return body


# --- Rounds ------------------------------------------------------------------------------------


def test_the_api_needs_a_login(client):
    assert error(client.get(URL), 401)["detail"] == "Chưa đăng nhập hoặc mã truy cập không hợp lệ."


def test_create_and_open_at_once(as_user, org_tree, people, province_staff):
    body = ok(
        post(
            as_user(province_staff),
            URL,
            {
                "organization_id": org_tree.province.pk,
                "year": 2026,
                "reference_date": "2026-11-01",
                "open": True,
            },
        ),
        201,
    )

    assert (body["state"], body["state_label"], body["legal_basis"]) == (
        "open",
        "Đang đánh giá",
        "Quy định 366-QĐ/TW",
    )
    assert body["organization"] == {"id": org_tree.province.pk, "name": "Đảng bộ tỉnh Thử Nghiệm"}
    assert MemberRating.objects.filter(round_id=body["id"]).count() == 6


def test_create_a_draft_then_open_it(as_user, org_tree, people, province_staff):
    client = as_user(province_staff)
    rnd = ok(post(client, URL, {"organization_id": org_tree.province.pk, "year": 2026}), 201)
    assert rnd["state"] == "draft" and rnd["period_start"] == "2026-01-01"

    opened = ok(post(client, f"{URL}{rnd['id']}/open", {}))

    assert (opened["round"]["state"], opened["members"], opened["ranked_members"]) == ("open", 6, 6)
    assert opened["organizations"] == 9
    again = error(post(client, f"{URL}{rnd['id']}/open", {}), 400)
    assert again["field"] == "round" and "dự thảo" in again["detail"]


def test_create_reports_a_broken_rule_in_vietnamese_by_field(as_user, org_tree, province_staff):
    body = error(
        post(
            as_user(province_staff),
            URL,
            {"organization_id": org_tree.province.pk, "year": 2025, "reference_date": "2026-01-05"},
        ),
        400,
    )
    assert body["field"] == "reference_date"
    assert body["detail"] == "Ngày chốt danh sách phải nằm trong kỳ đánh giá."
    bad_date = error(
        post(
            as_user(province_staff),
            URL,
            {"organization_id": org_tree.province.pk, "year": 2026, "reference_date": "1/11"},
        ),
        422,
    )
    assert bad_date["field"] == "reference_date" and "YYYY-MM-DD" in bad_date["detail"]


@pytest.mark.parametrize("actor_name", ["commune_a_staff", "outsider"])
def test_create_for_an_organization_out_of_scope_is_404(request, as_user, org_tree, actor_name):
    client = as_user(request.getfixturevalue(actor_name))
    error(post(client, URL, {"organization_id": org_tree.province.pk, "year": 2026}), 404)
    assert not EvaluationRound.objects.exists()


def test_a_leader_in_scope_may_not_create_a_round(as_user, org_tree, province_leader):
    error(post(as_user(province_leader), URL, {"organization_id": org_tree.province.pk, "year": 2026}), 403)


def test_the_list_is_scoped(as_user, open_round, org_tree, province_staff, commune_b_staff, member, outsider):
    commune_round = services.round_create(actor=province_staff, organization=org_tree.commune_a, year=2026)

    def ids(user):
        return {r["id"] for r in ok(as_user(user).get(URL))["items"]}

    assert ids(province_staff) == {open_round.pk, commune_round.pk}
    assert ids(commune_b_staff) == {open_round.pk}  # the province's round, not commune A's
    assert ids(member) == {open_round.pk, commune_round.pk}
    assert ids(outsider) == set()


def test_get_one_round_out_of_scope_is_404(
    as_user, org_tree, open_round, province_staff, commune_b_staff, outsider
):
    commune_round = services.round_create(actor=province_staff, organization=org_tree.commune_a, year=2026)

    assert ok(as_user(commune_b_staff).get(f"{URL}{open_round.pk}"))["name"] == open_round.name
    error(as_user(commune_b_staff).get(f"{URL}{commune_round.pk}"), 404)
    error(as_user(outsider).get(f"{URL}{open_round.pk}"), 404)
    error(as_user(province_staff).get(f"{URL}999999"), 404)


def test_close_needs_a_reason_while_ratings_are_undecided_and_reopen_needs_one(
    as_user, open_round, province_staff
):
    client = as_user(province_staff)

    body = error(post(client, f"{URL}{open_round.pk}/close", {}), 400)
    assert body["field"] == "override_reason" and "6 trường hợp" not in body["detail"]
    assert "chưa có quyết định xếp loại" in body["detail"]
    closed = ok(post(client, f"{URL}{open_round.pk}/close", {"override_reason": "Hết hạn, báo cáo sau"}))
    assert (closed["state"], closed["override_reason"]) == ("closed", "Hết hạn, báo cáo sau")

    assert error(post(client, f"{URL}{open_round.pk}/reopen", {}), 422)["detail"] == "Thiếu trường bắt buộc."
    blank = error(post(client, f"{URL}{open_round.pk}/reopen", {"reason": " "}), 400)
    assert (blank["field"], blank["detail"]) == ("reason", "Mở lại đợt đánh giá phải ghi lý do.")
    reopened = ok(post(client, f"{URL}{open_round.pk}/reopen", {"reason": "Bổ sung xã An Bình"}))
    assert reopened["state"] == "open"
    open_round.refresh_from_db()
    assert open_round.history.first().history_change_reason == "Mở lại: Bổ sung xã An Bình"


@pytest.mark.parametrize("action", ["open", "close", "reopen"])
def test_round_actions_out_of_scope_are_404_and_without_the_right_403(
    action, as_user, open_round, outsider, commune_a_staff
):
    data = {"reason": "x", "override_reason": "x"}
    error(post(as_user(outsider), f"{URL}{open_round.pk}/{action}", data), 404)
    error(post(as_user(commune_a_staff), f"{URL}{open_round.pk}/{action}", data), 403)


# --- Progress ----------------------------------------------------------------------------------


def test_progress_per_child_with_distribution_and_violations(
    as_user, org_tree, people, system_admin, province_staff, draft_round, commune_a_staff
):
    member_services.member_discipline(
        actor=system_admin, member=people.binh, form="warning", effective_on=D(2026, 3, 1), reason="Vi phạm"
    )
    services.round_open(actor=province_staff, round=draft_round)
    services.decide_member_levels(
        actor=commune_a_staff,
        round=draft_round,
        decisions=[
            {"rating": rating_of(draft_round, people.an).pk, "level": Level.GOOD},
            {"rating": rating_of(draft_round, people.binh).pk, "level": Level.COMPLETED},
            {"rating": rating_of(draft_round, people.chi).pk, "level": Level.COMPLETED},
        ],
    )

    body = ok(
        as_user(province_staff).get(f"{URL}{draft_round.pk}/progress?organization={org_tree.commune_a.pk}")
    )

    children = {c["organization"]["name"]: c["row"] for c in body["children"]}
    assert children["Chi bộ thôn Đông"]["reviewed_text"] == "3/3 (100,00%)"
    assert children["Đảng bộ Trường THPT An Bình"]["reviewed_text"] == "0/2 (0,00%)"
    assert body["total"]["reviewed_text"] == "3/5 (60,00%)"
    shares = {d["level"]: (d["count"], d["share_text"]) for d in body["total"]["distribution"]}
    assert shares == {"htxs": (0, "0,00%"), "htt": (1, "33,33%"), "ht": (2, "66,67%"), "kht": (0, "0,00%")}
    assert [v["code"] for v in body["violations"]] == ["disciplined"]
    assert body["violations"][0]["message"].startswith("Trần Thị Bình: Đảng viên bị kỷ luật")
    assert body["organizations"]["total"] == 4
    assert (
        body["excellent_cap"]
        == "HTXS không quá 20% số HTT trong mỗi tổ chức cơ sở đảng (theo Hướng dẫn 43-HD/BTCTW)."
    )


def test_progress_of_a_commune_user_defaults_to_their_part(
    as_user, org_tree, open_round, commune_a_staff, commune_b_staff, outsider
):
    body = ok(as_user(commune_a_staff).get(f"{URL}{open_round.pk}/progress"))

    assert body["organization"]["name"] == "Đảng bộ xã An Bình"
    assert body["total"]["rankable"] == 5
    error(
        as_user(commune_a_staff).get(f"{URL}{open_round.pk}/progress?organization={org_tree.commune_b.pk}"),
        404,
    )
    error(
        as_user(commune_a_staff).get(f"{URL}{open_round.pk}/progress?organization={org_tree.province.pk}"),
        404,
    )
    error(as_user(outsider).get(f"{URL}{open_round.pk}/progress"), 404)


def test_progress_of_an_organization_outside_the_round_is_refused(as_user, org_tree, people, province_staff):
    rnd = services.round_create(actor=province_staff, organization=org_tree.commune_a, year=2026)
    body = error(
        as_user(province_staff).get(f"{URL}{rnd.pk}/progress?organization={org_tree.cell_b.pk}"), 400
    )
    assert (body["field"], body["detail"]) == (
        "organization",
        "Tổ chức này không thuộc phạm vi đợt đánh giá.",
    )
    listed = as_user(province_staff).get(f"{URL}{rnd.pk}/ratings?organization={org_tree.cell_b.pk}")
    assert error(listed, 400)["field"] == "organization"


# --- Member ratings ----------------------------------------------------------------------------


def test_ratings_show_only_the_callers_part(
    as_user, org_tree, people, open_round, province_staff, commune_a_staff, commune_b_staff, member, outsider
):
    def names(user, query=""):
        body = ok(as_user(user).get(f"{URL}{open_round.pk}/ratings{query}"))
        return {r["member"]["full_name"] for r in body["items"]}

    assert len(names(province_staff)) == 6
    assert names(commune_b_staff) == {"Vũ Thị Hoa"}
    assert names(commune_a_staff, f"?organization={org_tree.school.pk}") == {
        "Phạm Thị Dung",
        "Hoàng Văn Giang",
    }
    assert names(member) == {"Nguyễn Văn An"}  # a plain member sees only their own rating
    error(
        as_user(commune_a_staff).get(f"{URL}{open_round.pk}/ratings?organization={org_tree.cell_b.pk}"), 404
    )
    error(as_user(outsider).get(f"{URL}{open_round.pk}/ratings"), 404)


def test_ratings_are_paginated_with_the_reason_still_missing(as_user, open_round, people, commune_a_staff):
    body = ok(as_user(commune_a_staff).get(f"{URL}{open_round.pk}/ratings?limit=2&offset=0&pending=true"))

    assert body["count"] == 5 and len(body["items"]) == 2
    assert body["items"][0]["missing"] == "Chưa tự đánh giá"


def test_the_ratings_list_has_a_flat_query_count(
    as_user, org_tree, system_admin, draft_round, province_staff, django_assert_max_num_queries
):
    for i in range(20):  # 26 members: the count must not grow with them
        enter(system_admin, org_tree.school_cell if i % 2 else org_tree.cell_b, f"Đảng viên Thêm {i}")
    services.round_open(actor=province_staff, round=draft_round)
    client = as_user(province_staff)
    client.get(f"{URL}{draft_round.pk}/ratings")  # warm the session
    with django_assert_max_num_queries(8):  # session, user, round, organization, roles, count, page
        assert len(ok(client.get(f"{URL}{draft_round.pk}/ratings"))["items"]) == 26


def test_the_member_submits_their_own_self_assessment(as_user, open_round, people, member):
    client = as_user(member)

    body = ok(
        post(
            client,
            f"{URL}{open_round.pk}/self-assessment",
            {"self_score": 86, "self_level": "htt", "strengths": "Gương mẫu", "remedies": "Học tập thêm"},
        )
    )

    assert (body["self_score"], body["self_level"], body["strengths"]) == (86, "htt", "Gương mẫu")
    assert body["self_submitted_at"] and body["missing"] == "Chi ủy chưa đề xuất"
    assert (
        ok(client.get(f"{URL}{open_round.pk}/self-assessment"))["id"] == rating_of(open_round, people.an).pk
    )


def test_the_self_assessment_follows_the_scale(as_user, open_round, people, member):
    body = error(
        post(
            as_user(member), f"{URL}{open_round.pk}/self-assessment", {"self_score": 89, "self_level": "htxs"}
        ),
        400,
    )
    assert body["field"] == "self_level" and body["detail"].startswith("89 điểm không đủ để xếp loại HTXS")
    body = error(
        post(as_user(member), f"{URL}{open_round.pk}/self-assessment", {"self_score": 80, "self_level": "x"}),
        422,
    )
    assert (body["field"], body["detail"]) == ("self_level", "Giá trị không nằm trong danh mục cho phép.")


@pytest.mark.parametrize("actor_name", ["cell_secretary", "commune_a_staff", "outsider"])
def test_nobody_else_has_a_self_assessment_to_submit(request, as_user, open_round, people, actor_name):
    client = as_user(request.getfixturevalue(actor_name))
    error(post(client, f"{URL}{open_round.pk}/self-assessment", {"self_score": 80, "self_level": "htt"}), 404)
    error(client.get(f"{URL}{open_round.pk}/self-assessment"), 404)
    assert rating_of(open_round, people.an).self_submitted_at is None


def test_the_secretary_proposes_and_records_the_vote_for_the_cell(
    as_user, open_round, people, cell_secretary
):
    client = as_user(cell_secretary)
    an, binh = rating_of(open_round, people.an), rating_of(open_round, people.binh)

    body = ok(
        post(
            client,
            f"{URL}{open_round.pk}/proposals",
            {
                "proposals": [
                    {"rating": an.pk, "level": "htt", "score": 85},
                    {"rating": binh.pk, "level": "ht"},
                ]
            },
        )
    )
    assert [(r["member"]["full_name"], r["proposed_level"]) for r in body] == [
        ("Nguyễn Văn An", "htt"),
        ("Trần Thị Bình", "ht"),
    ]
    votes = ok(
        post(
            client,
            f"{URL}{open_round.pk}/votes",
            {"votes": [{"rating": an.pk, "votes_for": 10, "votes_total": 12}]},
        )
    )
    assert (votes[0]["votes_for"], votes[0]["votes_total"]) == (10, 12)


def test_a_batch_with_a_broken_item_writes_nothing_and_names_the_item(
    as_user, open_round, people, cell_secretary
):
    an, binh = rating_of(open_round, people.an), rating_of(open_round, people.binh)

    body = error(
        post(
            as_user(cell_secretary),
            f"{URL}{open_round.pk}/proposals",
            {
                "proposals": [
                    {"rating": an.pk, "level": "htt", "score": 85},
                    {"rating": binh.pk, "level": "htxs", "score": 75},
                ]
            },
        ),
        400,
    )

    assert body["field"] == f"rating-{binh.pk}"
    assert body["detail"].startswith("Trần Thị Bình: 75 điểm không đủ để xếp loại HTXS")
    assert rating_of(open_round, people.an).proposed_level == ""
    votes = error(
        post(
            as_user(cell_secretary),
            f"{URL}{open_round.pk}/votes",
            {"votes": [{"rating": an.pk, "votes_for": 13, "votes_total": 12}]},
        ),
        400,
    )
    assert votes["field"] == f"rating-{an.pk}"
    assert (
        error(post(as_user(cell_secretary), f"{URL}{open_round.pk}/proposals", {"proposals": []}), 422)[
            "field"
        ]
        == "proposals"
    )


def test_batches_with_ratings_out_of_scope_are_404(
    as_user, open_round, people, cell_secretary, commune_b_staff, outsider
):
    hoa = rating_of(open_round, people.hoa)
    an = rating_of(open_round, people.an)
    for path, body in (
        ("proposals", {"proposals": [{"rating": an.pk, "level": "htt"}, {"rating": hoa.pk, "level": "htt"}]}),
        ("votes", {"votes": [{"rating": hoa.pk, "votes_for": 1, "votes_total": 1}]}),
        ("decisions", {"decisions": [{"rating": hoa.pk, "level": "htt"}]}),
    ):
        error(post(as_user(cell_secretary), f"{URL}{open_round.pk}/{path}", body), 404)
        error(post(as_user(outsider), f"{URL}{open_round.pk}/{path}", body), 404)
        mine = {path: [{**item, "rating": an.pk} for item in body[path]]}  # commune A's rating
        error(post(as_user(commune_b_staff), f"{URL}{open_round.pk}/{path}", mine), 404)
    error(
        post(
            as_user(cell_secretary),
            f"{URL}{open_round.pk}/proposals",
            {"proposals": [{"rating": 999999, "level": "htt"}]},
        ),
        404,
    )
    assert rating_of(open_round, people.an).proposed_level == ""


def test_decisions_belong_to_the_competent_committee(
    as_user, open_round, people, cell_secretary, commune_a_staff, school_secretary, school_leader
):
    an, dung = rating_of(open_round, people.an), rating_of(open_round, people.dung)
    url = f"{URL}{open_round.pk}/decisions"

    denied = error(
        post(as_user(cell_secretary), url, {"decisions": [{"rating": an.pk, "level": "htt"}]}), 403
    )
    assert "Đảng bộ xã An Bình" in denied["detail"]
    error(post(as_user(school_secretary), url, {"decisions": [{"rating": dung.pk, "level": "htt"}]}), 403)

    body = ok(
        post(
            as_user(commune_a_staff),
            url,
            {"decisions": [{"rating": an.pk, "level": "htt"}], "decision_ref": "15-QĐ/ĐU"},
        )
    )
    assert (body[0]["decided_level"], body[0]["decided_level_label"], body[0]["decision_ref"]) == (
        "htt",
        "Hoàn thành tốt nhiệm vụ",
        "15-QĐ/ĐU",
    )
    ok(post(as_user(school_leader), url, {"decisions": [{"rating": dung.pk, "level": "ht"}]}))
    assert rating_of(open_round, people.dung).decided_by == school_leader


# --- Collective ratings ------------------------------------------------------------------------


def test_a_cell_proposes_its_collective_level_and_the_commune_decides(
    as_user, org_tree, open_round, cell_secretary, commune_a_staff
):
    rating = org_rating(open_round, org_tree.cell_a)
    base = f"{URL}{open_round.pk}/organization-ratings/{rating.pk}"

    short = error(
        post(
            as_user(cell_secretary), f"{base}/proposal", {"level": "htxs", "score": 95, "exceeded_share": 20}
        ),
        400,
    )
    assert short["field"] == "level" and "ít nhất 30%" in short["detail"]
    proposed = ok(
        post(
            as_user(cell_secretary),
            f"{base}/proposal",
            {"level": "htxs", "score": 95, "exceeded_share": 35, "report": "Hoàn thành vượt mức"},
        )
    )
    assert (proposed["proposed_level"], proposed["subject_label"]) == ("htxs", "Tổ chức đảng")

    error(post(as_user(cell_secretary), f"{base}/decision", {"level": "htxs"}), 403)
    decided = ok(
        post(as_user(commune_a_staff), f"{base}/decision", {"level": "htt", "decision_ref": "20-QĐ/ĐU"})
    )
    assert (decided["decided_level"], decided["decision_ref"]) == ("htt", "20-QĐ/ĐU")


def test_a_disciplined_leadership_shows_as_a_violation_in_progress(
    as_user, org_tree, open_round, commune_a_staff
):
    rating = org_rating(open_round, org_tree.cell_a)
    ok(
        post(
            as_user(commune_a_staff),
            f"{URL}{open_round.pk}/organization-ratings/{rating.pk}/proposal",
            {"level": "htxs", "score": 95, "exceeded_share": 40, "leadership_disciplined": True},
        )
    )

    body = ok(as_user(commune_a_staff).get(f"{URL}{open_round.pk}/progress"))

    assert [v["code"] for v in body["violations"]] == ["collective_discipline"]
    assert body["violations"][0]["organization_rating_id"] == rating.pk


def test_collective_ratings_out_of_scope_are_404(as_user, org_tree, open_round, commune_b_staff, outsider):
    rating = org_rating(open_round, org_tree.cell_a)
    base = f"{URL}{open_round.pk}/organization-ratings"

    for user in (commune_b_staff, outsider):
        error(post(as_user(user), f"{base}/{rating.pk}/proposal", {"level": "htt"}), 404)
        error(post(as_user(user), f"{base}/{rating.pk}/decision", {"level": "htt"}), 404)
    names = {r["organization"]["name"] for r in ok(as_user(commune_b_staff).get(f"{base}"))["items"]}
    assert names == {"Đảng bộ phường Bắc Sơn", "Chi bộ khu phố 1"}
    error(as_user(outsider).get(base), 404)


# --- One cell end to end -----------------------------------------------------------------------


def test_a_whole_round_for_one_cell(
    as_user,
    org_tree,
    people,
    system_admin,
    province_staff,
    member,
    cell_secretary,
    commune_a_staff,
    commune_b_staff,
):
    services.round_create(
        actor=province_staff, organization=org_tree.province, year=2026, reference_date=REFERENCE
    )
    rnd = ok(as_user(province_staff).get(URL))["items"][0]
    ok(post(as_user(province_staff), f"{URL}{rnd['id']}/open", {}))
    ok(post(as_user(member), f"{URL}{rnd['id']}/self-assessment", {"self_score": 92, "self_level": "htxs"}))

    cell = ok(as_user(cell_secretary).get(f"{URL}{rnd['id']}/ratings?organization={org_tree.cell_a.pk}"))[
        "items"
    ]
    levels = {"Nguyễn Văn An": "htxs", "Trần Thị Bình": "htt", "Lê Văn Chi": "ht"}
    proposals = [{"rating": r["id"], "level": levels[r["member"]["full_name"]]} for r in cell]
    ok(post(as_user(cell_secretary), f"{URL}{rnd['id']}/proposals", {"proposals": proposals}))
    votes = [{"rating": r["id"], "votes_for": 3, "votes_total": 3} for r in cell]
    ok(post(as_user(cell_secretary), f"{URL}{rnd['id']}/votes", {"votes": votes}))
    ok(post(as_user(commune_a_staff), f"{URL}{rnd['id']}/decisions", {"decisions": proposals}))

    province = ok(as_user(province_staff).get(f"{URL}{rnd['id']}/progress"))
    assert province["total"]["reviewed_text"] == "3/6 (50,00%)"
    assert [v["code"] for v in province["violations"]] == ["cap"]  # 1 HTXS with 1 HTT: at most 0
    assert "Đảng bộ xã An Bình: Có 1 đảng viên HTXS" in province["violations"][0]["message"]
    other = ok(as_user(commune_b_staff).get(f"{URL}{rnd['id']}/progress"))
    assert (other["total"]["decided"], other["violations"]) == (0, [])
    assert ok(as_user(member).get(f"{URL}{rnd['id']}/self-assessment"))["decided_level_label"] == (
        "Hoàn thành xuất sắc nhiệm vụ"
    )


def test_progress_has_a_flat_query_count(
    as_user, org_tree, system_admin, draft_round, province_staff, django_assert_max_num_queries
):
    for i in range(20):
        enter(system_admin, org_tree.school_cell if i % 2 else org_tree.cell_b, f"Đảng viên Thêm {i}")
    services.round_open(actor=province_staff, round=draft_round)
    client = as_user(province_staff)
    client.get(f"{URL}{draft_round.pk}/progress")  # warm the session
    with django_assert_max_num_queries(14):
        assert ok(client.get(f"{URL}{draft_round.pk}/progress"))["total"]["rankable"] == 26


def test_the_endpoints_are_in_the_openapi_schema(as_user, system_admin):
    paths = ok(as_user(system_admin).get("/api/v1/openapi.json"))["paths"]

    assert "/api/v1/evaluation-rounds/{round_id}/progress" in paths
    assert "/api/v1/evaluation-rounds/{round_id}/organization-ratings/{rating_id}/decision" in paths
