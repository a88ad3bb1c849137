"""The organizations API at /api/v1/organizations/, seen by each persona of the root conftest."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.staticfiles import finders

from dangvu.accounts.services import api_token_create
from dangvu.organizations.models import Kind, Organization, OrganizationEvent
from dangvu.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/organizations/"
ALL_PROVINCE = {
    "T99",
    "T99-AB",
    "T99-AB-D",
    "T99-AB-D-1",
    "T99-AB-THPT",
    "T99-AB-THPT-GV",
    "T99-BS",
    "T99-BS-1",
}
COMMUNE_A = {"T99-AB", "T99-AB-D", "T99-AB-D-1", "T99-AB-THPT", "T99-AB-THPT-GV"}


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def codes(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["code"] for item in response.json()["items"]}


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


# --- Reading: scope -------------------------------------------------------------------------


def test_province_staff_lists_the_province_subtree(as_user, province_staff):
    response = as_user(province_staff).get(URL)

    assert codes(response) == ALL_PROVINCE
    assert response.json()["count"] == len(ALL_PROVINCE)


def test_commune_staff_lists_only_the_commune_subtree(as_user, commune_a_staff):
    assert codes(as_user(commune_a_staff).get(URL)) == COMMUNE_A


def test_member_sees_only_their_own_cell(as_user, member):
    assert codes(as_user(member).get(URL)) == {"T99-AB-D"}


def test_outsider_sees_an_empty_list_and_no_details(as_user, outsider, org_tree):
    client = as_user(outsider)

    assert client.get(URL).json() == {"items": [], "count": 0}
    assert client.get(f"{URL}{org_tree.commune_a.pk}").status_code == 404


def test_anonymous_gets_401_in_vietnamese(client, org_tree):
    response = client.get(URL)

    assert response.status_code == 401
    assert response.json()["detail"] == "Chưa đăng nhập hoặc mã truy cập không hợp lệ."
    assert "Chưa đăng nhập".encode() in response.content  # plain UTF-8, readable in curl


@pytest.mark.parametrize("target", ["commune_b", "cell_b"])
@pytest.mark.parametrize(
    "method, suffix, payload",
    [
        ("get", "", None),
        ("get", "/events", None),
        ("patch", "", {"name": "Tên mới"}),
        ("post", "/move", "new_parent"),
        ("post", "/dissolve", {"reason": "Sắp xếp lại"}),
    ],
)
def test_commune_staff_gets_404_for_the_other_commune(
    as_user, commune_a_staff, org_tree, target, method, suffix, payload
):
    client = as_user(commune_a_staff)
    org = getattr(org_tree, target)
    if payload == "new_parent":
        payload = {"new_parent_id": org_tree.commune_a.pk}

    def send(pk):
        if method == "get":
            return client.get(f"{URL}{pk}{suffix}")
        return getattr(client, method)(f"{URL}{pk}{suffix}", payload, content_type="application/json")

    response = send(org.pk)

    assert response.status_code == 404
    assert response.json()["detail"] == "Không tìm thấy."
    missing = send(999999)  # exactly the answer for an id that does not exist
    assert (missing.status_code, missing.json()) == (404, response.json())
    org.refresh_from_db()
    assert org.dissolved_on is None
    assert org.name != "Tên mới"


def test_detail_shows_labels_breadcrumbs_and_children(as_user, province_staff, org_tree):
    response = as_user(province_staff).get(f"{URL}{org_tree.commune_a.pk}")

    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "T99-AB"
    assert body["kind"] == "commune"
    assert body["kind_label"] == "Đảng bộ xã, phường, đặc khu"
    assert body["admin_unit_code"] == "00004"
    assert body["admin_unit_name"] == "Phường Ba Đình"
    assert body["founded_on"] == "2025-07-01"
    assert body["dissolved_on"] is None
    assert body["parent_id"] == org_tree.province.pk
    assert body["children_count"] == 2
    # The central committee is outside the province's scope: not in the breadcrumbs.
    assert body["path"] == [{"id": org_tree.province.pk, "name": "Đảng bộ tỉnh Thử Nghiệm"}]


def test_detail_of_a_base_committee_has_its_base_type_label(as_user, province_staff, org_tree):
    body = as_user(province_staff).get(f"{URL}{org_tree.school.pk}").json()

    assert body["base_type"] == "public_service"
    assert body["base_type_label"] == "Đơn vị sự nghiệp"
    assert [p["name"] for p in body["path"]] == ["Đảng bộ tỉnh Thử Nghiệm", "Đảng bộ xã An Bình"]


def test_parent_outside_scope_is_not_revealed(as_user, commune_a_staff, org_tree):
    client = as_user(commune_a_staff)

    detail = client.get(f"{URL}{org_tree.commune_a.pk}").json()
    listed = {item["code"]: item for item in client.get(URL).json()["items"]}

    assert detail["parent_id"] is None
    assert detail["path"] == []
    assert listed["T99-AB"]["parent_id"] is None
    assert listed["T99-AB-D"]["parent_id"] == org_tree.commune_a.pk


# --- Reading: search and filters ------------------------------------------------------------


def test_search_ignores_diacritics(as_user, province_staff, org_tree):
    response = as_user(province_staff).get(URL, {"q": "dang bo xa an binh"})

    assert codes(response) == {"T99-AB"}
    assert response.json()["items"][0]["name"] == "Đảng bộ xã An Bình"


def test_search_by_code(as_user, province_staff, org_tree):
    assert codes(as_user(province_staff).get(URL, {"q": "t99-bs-1"})) == {"T99-BS-1"}


def test_parent_filter_gives_direct_children_only(as_user, province_staff, org_tree):
    response = as_user(province_staff).get(URL, {"parent": org_tree.commune_a.pk})

    assert codes(response) == {"T99-AB-D", "T99-AB-THPT"}
    assert {item["parent_id"] for item in response.json()["items"]} == {org_tree.commune_a.pk}


def test_parent_filter_outside_scope_is_404(as_user, commune_a_staff, org_tree):
    response = as_user(commune_a_staff).get(URL, {"parent": org_tree.commune_b.pk})

    assert response.status_code == 404


def test_kind_filter(as_user, province_staff, org_tree):
    assert codes(as_user(province_staff).get(URL, {"kind": "cell"})) == {
        "T99-AB-D",
        "T99-AB-THPT-GV",
        "T99-BS-1",
    }


def test_unknown_kind_is_422_in_vietnamese(as_user, province_staff, org_tree):
    response = as_user(province_staff).get(URL, {"kind": "chi-bo"})

    assert response.status_code == 422
    assert response.json()["field"] == "kind"
    assert response.json()["detail"] == "Giá trị không nằm trong danh mục cho phép."


def test_dissolved_organizations_are_listed_only_on_request(as_user, province_staff, org_tree):
    client = as_user(province_staff)
    post(
        client,
        f"{URL}{org_tree.group_a.pk}/dissolve",
        {"effective_on": "2025-10-01", "reason": "Sáp nhập tổ"},
    )

    assert "T99-AB-D-1" not in codes(client.get(URL))
    assert "T99-AB-D-1" in codes(client.get(URL, {"include_dissolved": "true"}))


def test_list_is_paginated(as_user, province_staff, org_tree):
    response = as_user(province_staff).get(URL, {"limit": 3, "offset": 0})

    body = response.json()
    assert body["count"] == len(ALL_PROVINCE)
    assert [item["code"] for item in body["items"]] == ["T99", "T99-AB", "T99-AB-D"]  # tree order


def test_list_query_count_is_flat(as_user, province_staff, org_tree, django_assert_max_num_queries):
    for n in range(40):
        OrganizationFactory(
            parent=org_tree.commune_b, kind=Kind.CELL, code=f"T99-BS-X{n}", name=f"Chi bộ {n}"
        )
    client = as_user(province_staff)

    # session + user + scope roots + count + one page (parent ids come from a subquery)
    with django_assert_max_num_queries(5):
        response = client.get(URL, {"limit": 100})

    assert response.json()["count"] == len(ALL_PROVINCE) + 40


# --- Writing ---------------------------------------------------------------------------------


def test_create_returns_201_and_records_the_event(as_user, commune_a_staff, org_tree):
    payload = {
        "parent_id": org_tree.commune_a.pk,
        "code": "t99-ab-tay",
        "name": "Chi bộ thôn Tây",
        "kind": "cell",
        "founded_on": "2025-09-01",
        "decision_ref": "Số 12-QĐ/ĐU",
        "decision_date": "2025-08-25",
        "reason": "Tách thôn",
    }

    response = post(as_user(commune_a_staff), URL, payload)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"] == "T99-AB-TAY"
    assert body["parent_id"] == org_tree.commune_a.pk
    assert body["founded_on"] == "2025-09-01"
    event = OrganizationEvent.objects.get(organization_id=body["id"])
    assert event.kind == OrganizationEvent.EventKind.CREATED
    assert event.new_parent == org_tree.commune_a
    assert event.effective_on == datetime.date(2025, 9, 1)
    assert event.decision_ref == "Số 12-QĐ/ĐU"
    assert event.actor == commune_a_staff


@pytest.mark.parametrize(
    "parent, kind",
    [("commune_a", Kind.PARTY_GROUP), ("cell_a", Kind.BASE_COMMITTEE)],
)
def test_create_against_the_structure_rule_names_the_regulation(
    as_user, province_staff, org_tree, parent, kind
):
    payload = {
        "parent_id": getattr(org_tree, parent).pk,
        "code": "T99-NEW",
        "name": "Tổ chức sai cấp",
        "kind": kind,
        "founded_on": "2025-09-01",
    }

    response = post(as_user(province_staff), URL, payload)

    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "kind"
    assert "294-QĐ/TW" in body["detail"]
    assert "không được trực thuộc" in body["detail"]
    assert not Organization.objects.filter(code="T99-NEW").exists()


def test_create_with_a_duplicate_code_is_400_on_code(as_user, province_staff, org_tree):
    payload = {
        "parent_id": org_tree.commune_b.pk,
        "code": "t99-ab-d",
        "name": "Chi bộ trùng mã",
        "kind": "cell",
    }

    response = post(as_user(province_staff), URL, payload)

    assert response.status_code == 400
    assert response.json()["field"] == "code"
    assert response.json()["detail"] == "Mã «T99-AB-D» đã được dùng cho «Chi bộ thôn Đông»."


def test_create_under_a_parent_outside_scope_is_404(as_user, commune_a_staff, org_tree):
    payload = {
        "parent_id": org_tree.commune_b.pk,
        "code": "T99-BS-2",
        "name": "Chi bộ khu phố 2",
        "kind": "cell",
    }

    assert post(as_user(commune_a_staff), URL, payload).status_code == 404
    assert not Organization.objects.filter(code="T99-BS-2").exists()


def test_create_with_a_bad_date_is_422_in_vietnamese(as_user, province_staff, org_tree):
    payload = {
        "parent_id": org_tree.commune_a.pk,
        "code": "T99-AB-X",
        "name": "Chi bộ X",
        "kind": "cell",
        "founded_on": "31/02/2025",
    }

    response = post(as_user(province_staff), URL, payload)

    assert response.status_code == 422
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert body["field"] == "founded_on"
    assert body["detail"] == "Ngày không hợp lệ (dạng YYYY-MM-DD)."


def test_create_with_malformed_json_is_400_in_vietnamese(as_user, province_staff, org_tree):
    response = as_user(province_staff).post(URL, "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["detail"] == "Dữ liệu gửi lên không đọc được (cần JSON hợp lệ)."


def test_patch_changes_only_the_fields_sent(as_user, commune_a_staff, org_tree):
    cell = org_tree.cell_a
    payload = {"name": "Chi bộ thôn Đông Hòa", "effective_on": "2025-12-01", "reason": "Sáp nhập thôn"}

    response = patch(as_user(commune_a_staff), f"{URL}{cell.pk}", payload)

    assert response.status_code == 200, response.content
    cell.refresh_from_db()
    assert cell.name == "Chi bộ thôn Đông Hòa"
    assert cell.code == "T99-AB-D"
    assert cell.founded_on == datetime.date(2025, 7, 1)
    event = cell.events.get(kind=OrganizationEvent.EventKind.RENAMED)
    assert (event.old_name, event.new_name) == ("Chi bộ thôn Đông", "Chi bộ thôn Đông Hòa")
    assert event.effective_on == datetime.date(2025, 12, 1)
    assert event.reason == "Sáp nhập thôn"


def test_patch_with_an_explicit_null_is_422(as_user, commune_a_staff, org_tree):
    response = patch(as_user(commune_a_staff), f"{URL}{org_tree.cell_a.pk}", {"name": None})

    assert response.status_code == 422
    assert response.json()["field"] == "name"
    assert response.json()["detail"].startswith("Không được để trống")


def test_patch_with_nothing_to_change_is_400(as_user, commune_a_staff, org_tree):
    response = patch(as_user(commune_a_staff), f"{URL}{org_tree.cell_a.pk}", {"reason": "Không đổi gì"})

    assert response.status_code == 400
    assert not org_tree.cell_a.events.exclude(kind="created").exists()


@pytest.mark.parametrize("persona", ["province_leader", "cell_secretary", "member"])
def test_who_may_only_read_gets_403_on_patch(request, as_user, org_tree, persona):
    client = as_user(request.getfixturevalue(persona))

    response = patch(client, f"{URL}{org_tree.cell_a.pk}", {"name": "Đổi tên trái phép"})

    assert response.status_code == 403
    assert response.json()["detail"] == "Không có quyền thay đổi tổ chức này."
    org_tree.cell_a.refresh_from_db()
    assert org_tree.cell_a.name == "Chi bộ thôn Đông"


def test_move_records_old_and_new_parent(as_user, province_staff, org_tree):
    payload = {
        "new_parent_id": org_tree.commune_b.pk,
        "effective_on": "2025-11-01",
        "decision_ref": "Số 45-QĐ/TU",
        "reason": "Điều chỉnh địa giới",
    }

    response = post(as_user(province_staff), f"{URL}{org_tree.cell_a.pk}/move", payload)

    assert response.status_code == 200, response.content
    assert response.json()["parent_id"] == org_tree.commune_b.pk
    event = org_tree.cell_a.events.get(kind=OrganizationEvent.EventKind.MOVED)
    assert event.old_parent == org_tree.commune_a
    assert event.new_parent == org_tree.commune_b
    assert event.effective_on == datetime.date(2025, 11, 1)
    # The party group moved with its cell.
    org_tree.group_a.refresh_from_db()
    assert org_tree.group_a.path.startswith(org_tree.commune_b.path)


def test_moved_cell_history_is_served_to_its_new_commune(as_user, province_staff, commune_b_staff, org_tree):
    post(as_user(province_staff), f"{URL}{org_tree.cell_a.pk}/move", {"new_parent_id": org_tree.commune_b.pk})

    response = as_user(commune_b_staff).get(f"{URL}{org_tree.cell_a.pk}/events")

    assert response.status_code == 200
    items = response.json()["items"]
    assert [e["kind"] for e in items] == ["moved", "created"]
    assert items[0]["kind_label"] == "Chuyển trực thuộc"
    assert items[0]["old_parent"] == {"id": org_tree.commune_a.pk, "name": "Đảng bộ xã An Bình"}
    assert items[0]["new_parent"] == {"id": org_tree.commune_b.pk, "name": "Đảng bộ phường Bắc Sơn"}
    assert items[0]["actor_name"] == "Province Staff"
    assert items[1]["effective_on"] == "2025-07-01"


def test_move_into_another_commune_by_commune_staff_is_404(as_user, commune_a_staff, org_tree):
    response = post(
        as_user(commune_a_staff), f"{URL}{org_tree.cell_a.pk}/move", {"new_parent_id": org_tree.commune_b.pk}
    )

    assert response.status_code == 404
    org_tree.cell_a.refresh_from_db()
    assert org_tree.cell_a.path.startswith(org_tree.commune_a.path)
    assert not org_tree.cell_a.events.filter(kind="moved").exists()


def test_move_against_the_structure_rule_is_400(as_user, province_staff, org_tree):
    response = post(
        as_user(province_staff), f"{URL}{org_tree.cell_b.pk}/move", {"new_parent_id": org_tree.cell_a.pk}
    )

    assert response.status_code == 400
    assert response.json()["field"] == "kind"


def test_dissolve_with_active_children_is_400(as_user, province_staff, org_tree):
    response = post(as_user(province_staff), f"{URL}{org_tree.commune_b.pk}/dissolve", {"reason": "Sáp nhập"})

    assert response.status_code == 400
    assert response.json()["field"] == "organization"
    assert "còn 1 tổ chức trực thuộc đang hoạt động" in response.json()["detail"]
    org_tree.commune_b.refresh_from_db()
    assert org_tree.commune_b.dissolved_on is None


def test_dissolve_a_leaf(as_user, commune_b_staff, org_tree):
    payload = {"effective_on": "2025-12-31", "decision_ref": "Số 7-QĐ/ĐU", "reason": "Không đủ đảng viên"}

    response = post(as_user(commune_b_staff), f"{URL}{org_tree.cell_b.pk}/dissolve", payload)

    assert response.status_code == 200, response.content
    assert response.json()["dissolved_on"] == "2025-12-31"
    event = org_tree.cell_b.events.get(kind=OrganizationEvent.EventKind.DISSOLVED)
    assert event.old_parent == org_tree.commune_b
    assert event.reason == "Không đủ đảng viên"


def test_dissolve_without_a_reason_is_400(as_user, commune_b_staff, org_tree):
    response = post(as_user(commune_b_staff), f"{URL}{org_tree.cell_b.pk}/dissolve", {})

    assert response.status_code == 400
    assert response.json()["field"] == "reason"


# --- Bearer tokens, OpenAPI and the offline docs ---------------------------------------------


def test_bearer_token_reads_and_writes_within_scope(client, commune_b_staff, org_tree):
    _, raw = api_token_create(user=commune_b_staff, name="test")
    headers = {"Authorization": f"Bearer {raw}"}

    listed = client.get(URL, headers=headers)
    created = client.post(
        URL,
        {"parent_id": org_tree.commune_b.pk, "code": "T99-BS-2", "name": "Chi bộ khu phố 2", "kind": "cell"},
        content_type="application/json",
        headers=headers,
    )

    assert codes(listed) == {"T99-BS", "T99-BS-1"}
    assert created.status_code == 201
    assert OrganizationEvent.objects.get(organization_id=created.json()["id"]).actor == commune_b_staff


def test_a_wrong_bearer_token_is_401(client, org_tree):
    response = client.get(URL, headers={"Authorization": "Bearer dv_khong-dung"})

    assert response.status_code == 401


def test_openapi_lists_every_path(client):
    schema = client.get("/api/v1/openapi.json").json()

    paths = schema["paths"]
    assert set(paths) >= {
        "/api/v1/organizations/",
        "/api/v1/organizations/{org_id}",
        "/api/v1/organizations/{org_id}/move",
        "/api/v1/organizations/{org_id}/dissolve",
        "/api/v1/organizations/{org_id}/events",
    }
    assert set(paths["/api/v1/organizations/"]) == {"get", "post"}
    assert set(paths["/api/v1/organizations/{org_id}"]) == {"get", "patch"}
    for name in [
        "OrganizationOut",
        "OrganizationDetailOut",
        "OrganizationIn",
        "OrganizationPatch",
        "OrganizationMoveIn",
        "OrganizationDissolveIn",
        "OrganizationEventOut",
        "ErrorOut",
    ]:
        assert name in schema["components"]["schemas"]


def test_docs_page_uses_local_static_files_only(client):
    response = client.get("/api/v1/docs")

    html = response.content.decode()
    assert response.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "/static/ninja/swagger-ui.css" in html
    assert "cdn" not in html.lower()
    assert '"validatorUrl": null' in html  # no call to validator.swagger.io
    assert finders.find("ninja/swagger-ui-bundle.js")
    assert finders.find("ninja/swagger-ui-init.js")
