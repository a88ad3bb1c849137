"""The admission-target API at /api/v1/admission-targets/, seen by each persona.

On 23/11/2026 the province has a 2026 target of 5 (2 of them women), commune A of 3, commune B of 2.
Admitted in 2026: two in cell_a (one woman, 01/03 and 01/09), one in school_cell (01/06); nobody in
commune B. One admitted in 2025 counts only for the term 2025–2030.
"""

from __future__ import annotations

import datetime

import pytest

from dangvu.accounts.services import api_token_create
from dangvu.admissions import selectors, services
from dangvu.admissions.models import AdmissionTarget
from dangvu.members.choices import Gender, Status
from dangvu.members.tests.factories import MemberFactory
from dangvu.reports import statistics, tallies

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]

URL = "/api/v1/admission-targets/"
PROGRESS = f"{URL}progress"
D = datetime.date


def ok(response, status=200):
    assert response.status_code == status, response.content.decode()
    return response.json()


def error(response, status):
    assert response.status_code == status, response.content.decode()
    body = response.json()
    assert set(body) >= {"detail", "field"}
    return body


def put(client, data, **kw):
    return client.put(URL, data, content_type="application/json", **kw)


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def admitted(org, name: str, on: datetime.date, gender: str = Gender.MALE):
    """A probationary member whose admission decision is dated `on` (the ADMITTED event)."""
    return MemberFactory(
        organization=org,
        full_name=name,
        gender=gender,
        birth_date=D(2000, 5, 10),
        status=Status.PROBATIONARY,
        admission_decision_date=on,
        ceremony_date=on + datetime.timedelta(days=10),
    )


def build_campaign(org_tree, province_staff):
    """The targets and admissions of the module docstring (also used by test_outputs)."""
    t = org_tree
    services.target_set(
        actor=province_staff, organization=t.province, year_from=2026, target=5, decision_ref="12-QĐ/TU"
    )
    services.target_set(
        actor=province_staff, organization=t.province, year_from=2026, segment="female", target=2
    )
    services.target_set(actor=province_staff, organization=t.commune_a, year_from=2026, target=3)
    services.target_set(actor=province_staff, organization=t.commune_b, year_from=2026, target=2)
    admitted(t.cell_a, "Trần Văn Một", D(2026, 3, 1))
    admitted(t.cell_a, "Lê Thị Hai", D(2026, 9, 1), gender=Gender.FEMALE)
    admitted(t.school_cell, "Phạm Văn Ba", D(2026, 6, 1))
    admitted(t.cell_b, "Vũ Văn Cũ", D(2025, 10, 1))
    tallies.rebuild()  # factories write members directly; the services keep the counters in step
    return t


@pytest.fixture
def campaign(org_tree, province_staff):
    return build_campaign(org_tree, province_staff)


# --- Progress ----------------------------------------------------------------------------------


def test_the_api_needs_a_login(client):
    assert error(client.get(PROGRESS), 401)["detail"] == "Chưa đăng nhập hoặc mã truy cập không hợp lệ."


def test_progress_at_the_province(as_user, campaign, province_staff):
    t = campaign
    body = ok(as_user(province_staff).get(PROGRESS))
    assert body["organization"]["id"] == t.province.pk  # the top of the user's scope
    assert body["period"] == {"year_from": 2026, "year_to": 2026, "label": "2026"}
    assert body["as_of"] == "2026-11-23"
    assert (body["target"], body["admitted"], body["ratio"], body["ratio_text"]) == (
        5,
        3,
        60.0,
        "3/5 (60,00%)",
    )
    assert body["children_target"] == 5
    children = {c["name"]: c for c in body["children"]}
    a, b = children["Đảng bộ xã An Bình"], children["Đảng bộ phường Bắc Sơn"]
    assert (a["target"], a["admitted"], a["ratio"], a["ratio_text"], a["drillable"]) == (
        3,
        3,
        100.0,
        "3/3 (100,00%)",
        True,
    )
    assert (b["target"], b["admitted"], b["ratio"], b["ratio_text"]) == (2, 0, 0.0, "0/2 (0,00%)")
    segments = {s["segment"]: s for s in body["segments"]}
    assert (segments["female"]["target"], segments["female"]["admitted"], segments["female"]["ratio"]) == (
        2,
        1,
        50.0,
    )
    assert segments["youth"] == {
        "segment": "youth",
        "label": "Thanh niên (từ 30 tuổi trở xuống)",
        "target": None,
        "admitted": 3,
        "ratio": None,
        "ratio_text": "3 (chưa giao chỉ tiêu)",
    }
    # The same count as the statistics' new admissions for the same organization and dates.
    stats = statistics.period(t.province, D(2026, 1, 1), D(2026, 11, 23))
    assert body["admitted"] == stats["admissions"]["total"]


def test_progress_for_a_term_and_as_of_a_past_date(as_user, campaign, commune_a_staff, province_staff):
    client = as_user(province_staff)
    term = ok(client.get(PROGRESS, {"period": "2025-2030"}))
    assert term["period"]["label"] == "2025–2030"
    assert (term["target"], term["admitted"], term["ratio"], term["ratio_text"]) == (
        None,
        4,
        None,
        "4 (chưa giao chỉ tiêu)",
    )
    client = as_user(commune_a_staff)
    early = ok(client.get(PROGRESS, {"as_of": "2026-08-31"}))
    assert early["organization"]["id"] == campaign.commune_a.pk
    assert (early["as_of"], early["admitted"], early["ratio_text"]) == ("2026-08-31", 2, "2/3 (66,67%)")
    on_the_day = ok(client.get(PROGRESS, {"as_of": "2026-09-01"}))
    assert on_the_day["ratio_text"] == "3/3 (100,00%)" and on_the_day["ratio"] == 100.0
    tp = selectors.target_progress(campaign.commune_a, year_from=2026, as_of=D(2026, 9, 1))
    assert [(c["id"], c["admitted"]) for c in on_the_day["children"]] == [
        (r.id, r.admitted) for r in tp.children
    ]


@pytest.mark.parametrize(
    ("params", "status", "field", "detail"),
    [
        ({"period": "2030-2025"}, 400, "period", "năm kết thúc trước năm bắt đầu"),
        ({"period": "năm nay"}, 400, "period", "Kỳ không hợp lệ"),
        ({"as_of": "2026-11-24"}, 400, "as_of", "24/11/2026 ở tương lai"),
        ({"as_of": "24/11/2026"}, 422, "as_of", "Ngày không hợp lệ"),
    ],
)
def test_bad_periods_and_dates_name_the_field(
    as_user, campaign, province_staff, params, status, field, detail
):
    body = error(as_user(province_staff).get(PROGRESS, params), status)
    assert body["field"] == field and detail in body["detail"]


def test_outsiders_and_commune_b_see_nothing_of_commune_a(client, campaign, outsider, commune_b_staff):
    client.force_login(outsider)
    error(client.get(PROGRESS), 404)
    error(client.get(PROGRESS, {"organization": campaign.province.pk}), 404)
    error(client.get(URL), 404)
    client.logout()
    _, raw = api_token_create(user=commune_b_staff, name="test")
    headers = {"Authorization": f"Bearer {raw}"}
    mine = ok(client.get(PROGRESS, headers=headers))
    assert mine["organization"]["id"] == campaign.commune_b.pk and mine["ratio_text"] == "0/2 (0,00%)"
    error(client.get(PROGRESS, {"organization": campaign.commune_a.pk}, headers=headers), 404)
    error(client.get(URL, {"organization": campaign.commune_a.pk}, headers=headers), 404)
    body = put(
        client, {"organization_id": campaign.cell_a.pk, "year_from": 2026, "target": 1}, headers=headers
    )
    error(body, 404)


# --- Targets -----------------------------------------------------------------------------------


def test_targets_of_the_organization_and_its_children(as_user, campaign, province_staff, commune_a_staff):
    body = ok(as_user(province_staff).get(URL, {"period": "2026"}))
    rows = [(r["organization"]["name"], r["segment"], r["target"]) for r in body["items"]]
    assert rows == [
        ("Đảng bộ tỉnh Thử Nghiệm", "female", 2),
        ("Đảng bộ tỉnh Thử Nghiệm", "total", 5),
        ("Đảng bộ xã An Bình", "total", 3),
        ("Đảng bộ phường Bắc Sơn", "total", 2),
    ]
    first = body["items"][1]
    assert (first["segment_label"], first["decision_ref"], first["period"]) == ("Tổng số", "12-QĐ/TU", "year")
    assert first["assigned_by"]["id"] == campaign.province.pk
    assert ok(as_user(province_staff).get(URL, {"period": "2027"}))["count"] == 0
    # The commune sees its own target, not the province's.
    mine = ok(as_user(commune_a_staff).get(URL))
    assert [(r["organization"]["name"], r["target"]) for r in mine["items"]] == [("Đảng bộ xã An Bình", 3)]


def test_setting_a_target_changes_the_progress_at_once(as_user, campaign, commune_a_staff):
    client = as_user(commune_a_staff)
    body = ok(
        put(
            client,
            {
                "organization_id": campaign.cell_a.pk,
                "year_from": 2026,
                "target": 4,
                "decision_ref": "5-QĐ/ĐU",
            },
        )
    )
    assert (body["organization"]["id"], body["target"], body["assigned_by"]["id"]) == (
        campaign.cell_a.pk,
        4,
        campaign.commune_a.pk,
    )
    progress = ok(client.get(PROGRESS))
    cell = next(c for c in progress["children"] if c["id"] == campaign.cell_a.pk)
    assert (cell["target"], cell["admitted"], cell["ratio_text"]) == (4, 2, "2/4 (50,00%)")
    ok(put(client, {"organization_id": campaign.cell_a.pk, "year_from": 2026, "target": 3}))
    assert AdmissionTarget.objects.get(organization=campaign.cell_a).target == 3  # changed, not added


def test_setting_a_target_needs_the_level_above(as_user, campaign, commune_a_staff, cell_secretary):
    body = error(
        put(as_user(cell_secretary), {"organization_id": campaign.cell_a.pk, "year_from": 2026, "target": 1}),
        403,
    )
    assert "Không có quyền giao chỉ tiêu" in body["detail"]
    # A commune's staff set their cells' targets, not their own.
    error(
        put(
            as_user(commune_a_staff),
            {"organization_id": campaign.commune_a.pk, "year_from": 2026, "target": 9},
        ),
        403,
    )
    assert AdmissionTarget.objects.get(organization=campaign.commune_a, segment="total").target == 3


@pytest.mark.parametrize(
    ("data", "status", "field"),
    [
        ({"year_from": 2026, "year_to": 2025, "target": 1}, 400, "year_to"),
        ({"year_from": 2026, "target": -1}, 422, "target"),
        ({"year_from": 2026, "target": 1, "segment": "veterans"}, 422, "segment"),
        ({"year_from": 2026}, 422, "target"),
    ],
)
def test_bad_targets_name_the_field(as_user, campaign, province_staff, data, status, field):
    body = error(put(as_user(province_staff), {"organization_id": campaign.commune_a.pk, **data}), status)
    assert body["field"] == field


def test_a_segment_target_beyond_the_total_is_refused_naming_the_segment(as_user, campaign, province_staff):
    """The province's 2026 target is 5, 2 of them women."""
    client = as_user(province_staff)
    province = campaign.province.pk
    body = error(
        put(client, {"organization_id": province, "year_from": 2026, "segment": "female", "target": 6}), 400
    )
    assert body["field"] == "target"
    assert body["detail"] == (
        "Chỉ tiêu «Nữ» (6) lớn hơn chỉ tiêu tổng số 2026 của «Đảng bộ tỉnh Thử Nghiệm» (5)."
    )
    body = error(put(client, {"organization_id": province, "year_from": 2026, "target": 1}), 400)
    assert body["field"] == "target" and "«Nữ» (2)" in body["detail"]
    body = error(
        put(
            client,
            {"organization_id": campaign.commune_b.pk, "year_from": 2027, "segment": "border", "target": 1},
        ),
        400,
    )
    assert "chưa có chỉ tiêu tổng số 2027" in body["detail"] and "«Ở xã biên giới»" in body["detail"]
    targets = dict(
        AdmissionTarget.objects.filter(organization=campaign.province).values_list("segment", "target")
    )
    assert targets == {"total": 5, "female": 2}
    assert not AdmissionTarget.objects.filter(year_from=2027).exists()
    # Within the total it is set.
    ok(put(client, {"organization_id": province, "year_from": 2026, "segment": "female", "target": 5}))


def test_query_counts_are_flat(as_user, campaign, province_staff, django_assert_max_num_queries):
    client = as_user(province_staff)
    with django_assert_max_num_queries(8):
        ok(client.get(URL))
    with django_assert_max_num_queries(14):
        ok(client.get(PROGRESS))
