"""GET /api/v1/organizations/{id}/statistics: figures on a date or over a period, scoped like
everything else, with Vietnamese errors that name the field."""

from __future__ import annotations

import pytest
import time_machine

from dangvu.accounts.services import api_token_create
from dangvu.reports import tallies

from .test_figures import NOW, build_history, transfer

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(org_tree, province_staff):
    """The history of test_figures, on 15/06/2026."""
    with time_machine.travel(NOW, tick=False):
        yield build_history(org_tree, province_staff)


def url(org, **query) -> str:
    qs = "&".join(f"{k}={v}" for k, v in query.items())
    return f"/api/v1/organizations/{org.pk}/statistics" + (f"?{qs}" if qs else "")


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_snapshot_today_has_the_documented_shape(history, org_tree, province_staff, as_user):
    tallies.rebuild()
    r = as_user(province_staff).get(url(org_tree.province))

    assert r.status_code == 200, r.content
    body = r.json()
    assert set(body) == {"organization", "as_of", "from_history", "figures", "children", "period", "links"}
    assert body["organization"] == {
        "id": org_tree.province.pk,
        "code": "T99",
        "name": "Đảng bộ tỉnh Thử Nghiệm",
        "kind": "province",
        "kind_label": org_tree.province.get_kind_display(),
    }
    assert (body["as_of"], body["from_history"], body["period"]) == ("2026-06-15", False, None)
    members = body["figures"]["members"]
    assert (members["total"], members["official"], members["probationary"], members["female"]) == (7, 6, 1, 2)
    assert members["ethnic_minority"] == 1 and members["temporary_hosted"] == 0
    assert body["figures"]["organizations"]["cells"] == 3
    assert {row["from"] for row in body["figures"]["age_pyramid"]} == {25, 45}
    assert body["figures"]["admissions_per_year"][-1] == {"year": 2026, "admitted": 1}
    assert [(c["code"], c["members"]["total"]) for c in body["children"]] == [("T99-AB", 5), ("T99-BS", 2)]
    assert body["links"]["xlsx"] == f"/thong-ke/{org_tree.province.pk}/bieu-thong-ke.xlsx?as_of=2026-06-15"
    assert body["links"]["docx"].endswith("bao-cao.docx?as_of=2026-06-15")


def test_as_of_a_past_date_is_counted_from_the_history(history, org_tree, province_staff, as_user):
    transfer(province_staff, province_staff, history.a1, org_tree.cell_b)
    client = as_user(province_staff)

    past = client.get(url(org_tree.province, as_of="2026-03-01")).json()
    now = client.get(url(org_tree.province)).json()

    assert past["from_history"] is True and past["as_of"] == "2026-03-01"
    assert [c["members"]["total"] for c in past["children"]] == [5, 2]
    assert [c["members"]["total"] for c in now["children"]] == [4, 3]
    assert past["figures"]["members"]["total"] == now["figures"]["members"]["total"] == 7


def test_period_gives_increase_decrease_and_admissions(history, org_tree, commune_a_staff, as_user):
    transfer(commune_a_staff, commune_a_staff, history.a1, org_tree.school_cell)  # inside the commune

    body = (
        as_user(commune_a_staff)
        .get(url(org_tree.commune_a, **{"from": "2026-01-01", "to": "2026-06-15"}))
        .json()
    )

    assert body["figures"] is None and body["children"] is None
    p = body["period"]
    assert (p["from"], p["to"], p["opening"], p["closing"], p["balanced"]) == (
        "2026-01-01",
        "2026-06-15",
        4,
        5,
        True,
    )
    assert p["increase"]["admitted"] == p["admissions"]["total"] == p["admissions"]["female"] == 1
    assert p["increase"]["transferred_in"] == p["decrease"]["transferred_out"] == 0
    assert p["admissions"]["youth"] == 1
    assert body["links"]["xlsx"].endswith("?from=2026-01-01&to=2026-06-15")


def test_period_without_to_ends_today(history, org_tree, province_staff, as_user):
    body = as_user(province_staff).get(url(org_tree.province, **{"from": "2026-01-01"})).json()
    assert (body["as_of"], body["period"]["to"]) == ("2026-06-15", "2026-06-15")


@pytest.mark.parametrize("persona", ["outsider", "commune_b_staff"])
def test_organizations_out_of_scope_answer_404(history, org_tree, as_user, request, persona):
    client = as_user(request.getfixturevalue(persona))

    for query in ({}, {"as_of": "2026-03-01"}, {"from": "2026-01-01"}):
        r = client.get(url(org_tree.commune_a, **query))
        assert r.status_code == 404
        assert r.json() == {"detail": "Không tìm thấy.", "field": None}


def test_commune_staff_sees_their_own_commune(history, org_tree, commune_b_staff, as_user):
    r = as_user(commune_b_staff).get(url(org_tree.commune_b))
    assert r.status_code == 200 and r.json()["figures"]["members"]["total"] == 2


def test_bearer_token_works_and_anonymous_is_refused(history, org_tree, province_staff, client):
    assert client.get(url(org_tree.province)).status_code == 401
    token = api_token_create(user=province_staff, name="thống kê")[1]
    r = client.get(url(org_tree.province), headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200


@pytest.mark.parametrize(
    ("query", "status", "field", "words"),
    [
        ({"as_of": "15/06/2026"}, 422, "as_of", "Ngày không hợp lệ"),
        ({"as_of": "2026-02-30"}, 422, "as_of", "Ngày không hợp lệ"),
        ({"from": "hôm qua"}, 422, "from", "Ngày không hợp lệ"),
        ({"as_of": "2026-06-16"}, 400, "as_of", "ở tương lai"),
        ({"from": "2026-05-01", "to": "2027-01-01"}, 400, "to", "ở tương lai"),
        ({"from": "2026-05-01", "to": "2026-04-01"}, 400, "from", "sau ngày cuối kỳ 01/04/2026"),
        ({"to": "2026-04-01"}, 400, "from", "cần ngày đầu kỳ"),
        ({"as_of": "2026-04-01", "from": "2026-01-01"}, 400, "as_of", "không chọn cả hai"),
        ({"as_of": "1900-01-01"}, 400, "as_of", "trước ngày thành lập Đảng"),
    ],
)
def test_bad_dates_answer_a_vietnamese_message_naming_the_field(
    history, org_tree, province_staff, as_user, query, status, field, words
):
    r = as_user(province_staff).get(url(org_tree.province, **query))

    assert r.status_code == status, r.content
    assert r.json()["field"] == field
    assert words in r.json()["detail"]


def test_schema_documents_the_fields(client):
    schema = client.get("/api/v1/openapi.json").json()
    op = schema["paths"]["/api/v1/organizations/{org_id}/statistics"]["get"]
    assert {p["name"] for p in op["parameters"]} == {"org_id", "as_of", "from", "to"}
    components = schema["components"]["schemas"]
    assert {"members", "organizations", "age_bands", "education", "theory_level"} <= set(
        components["FiguresOut"]["properties"]
    )
    assert {"from", "to", "opening", "increase", "decrease", "closing", "admissions"} == set(
        components["PeriodOut"]["properties"]
    ) - {"balanced"}


def test_query_count_does_not_grow_with_members(
    history, org_tree, province_staff, as_user, django_assert_max_num_queries
):
    tallies.rebuild()
    client = as_user(province_staff)
    client.get(url(org_tree.province))
    with django_assert_max_num_queries(12):
        assert client.get(url(org_tree.province)).status_code == 200
