"""The members API at /api/v1/members/, seen by each persona of the root conftest."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dangvu.accounts.models import AccessLog
from dangvu.accounts.services import api_token_create
from dangvu.accounts.tests.factories import UserFactory
from dangvu.members import services
from dangvu.members.importing import build_template
from dangvu.members.importing.columns import COLUMNS
from dangvu.members.models import Member, MemberEvent, Transfer

pytestmark = pytest.mark.django_db

URL = "/api/v1/members/"
D = datetime.date


@pytest.fixture(autouse=True)
def today(time_machine):
    # Statuses (official after ceremony + 12 months) and age bands depend on today.
    time_machine.move_to(datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["full_name"] for item in response.json()["items"]]


def register(org, full_name, *, official=True, user=None, **fields):
    """An existing member entered from paper records, through the service like the pages do."""
    admin = UserFactory(username="registrar", is_superuser=True)
    ceremony = D(2010, 5, 19) if official else D(2026, 6, 1)
    data = {
        "full_name": full_name,
        "gender": "male",
        "birth_date": D(1985, 3, 10),
        "admission_decision_date": ceremony - datetime.timedelta(days=10),
        "ceremony_date": ceremony,
        **fields,
    }
    m = services.member_register(actor=admin, organization=org, data=data, reason="Nhập hồ sơ giấy")
    if user is not None:  # link the persona's account to their record
        m.user = user
        m.save(update_fields=["user"])
    return m


@pytest.fixture
def people(org_tree, member):
    """An (the `member` persona's own record) and Anh in cell A, Bình in the school, Cường in commune B."""
    return {
        "an": register(
            org_tree.cell_a, "Nguyễn Văn An", citizen_id="001085000123", card_number="12345678", user=member
        ),
        "anh": register(org_tree.cell_a, "Đỗ Thị Anh", gender="female", ethnicity="02", religion="buddhism"),
        "binh": register(org_tree.school_cell, "Trần Thị Bình", gender="female", official=False),
        "cuong": register(org_tree.cell_b, "Lê Văn Cường", citizen_id="001085000999"),
    }


# --- Reading: scope ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("system_admin", ["Nguyễn Văn An", "Đỗ Thị Anh", "Trần Thị Bình", "Lê Văn Cường"]),
        ("province_staff", ["Nguyễn Văn An", "Đỗ Thị Anh", "Trần Thị Bình", "Lê Văn Cường"]),
        ("province_leader", ["Nguyễn Văn An", "Đỗ Thị Anh", "Trần Thị Bình", "Lê Văn Cường"]),
        ("commune_a_staff", ["Nguyễn Văn An", "Đỗ Thị Anh", "Trần Thị Bình"]),
        ("commune_b_staff", ["Lê Văn Cường"]),
        ("cell_secretary", ["Nguyễn Văn An", "Đỗ Thị Anh"]),
        ("member", ["Nguyễn Văn An"]),
        ("outsider", []),
    ],
)
def test_list_shows_each_persona_their_scope_in_vietnamese_name_order(
    request, as_user, people, persona, expected
):
    response = as_user(request.getfixturevalue(persona)).get(URL)

    # Vietnamese order is by given name first: An < Anh < Bình < Cường.
    assert names(response) == expected
    assert response.json()["count"] == len(expected)


@pytest.mark.parametrize(
    "persona, visible, hidden",
    [
        ("commune_a_staff", "an", "cuong"),
        ("commune_b_staff", "cuong", "binh"),
        ("member", "an", "anh"),
        ("cell_secretary", "anh", "binh"),
    ],
)
@pytest.mark.parametrize("suffix", ["", "/events", "/history"])
def test_detail_endpoints_answer_404_outside_scope_like_a_missing_id(
    request, as_user, people, persona, visible, hidden, suffix
):
    client = as_user(request.getfixturevalue(persona))

    assert client.get(f"{URL}{people[visible].pk}{suffix}").status_code == 200
    response = client.get(f"{URL}{people[hidden].pk}{suffix}")
    missing = client.get(f"{URL}999999{suffix}")

    assert response.status_code == 404
    assert response.json() == missing.json() == {"detail": "Không tìm thấy.", "field": None}


def test_outsider_sees_nothing_anywhere(as_user, outsider, people):
    client = as_user(outsider)

    assert client.get(URL).json() == {"items": [], "count": 0}
    for suffix in ("", "/events", "/history"):
        assert client.get(f"{URL}{people['an'].pk}{suffix}").status_code == 404
    assert patch(client, f"{URL}{people['an'].pk}", {"phone": "0912", "reason": "x"}).status_code == 404
    assert (
        post(
            client, f"{URL}{people['an'].pk}/events", {"action": "death", "effective_on": "2026-01-01"}
        ).status_code
        == 404
    )


def test_anonymous_gets_401(client, people):
    assert client.get(URL).status_code == 401
    assert client.get(f"{URL}{people['an'].pk}").status_code == 401


# --- Reading: filters -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"q": "tran thi binh"}, ["Trần Thị Bình"]),
        ({"q": "001085000123"}, ["Nguyễn Văn An"]),
        ({"q": "12345678"}, ["Nguyễn Văn An"]),
        ({"gender": "female"}, ["Đỗ Thị Anh", "Trần Thị Bình"]),
        ({"status": "probationary"}, ["Trần Thị Bình"]),
        ({"ethnicity": "02"}, ["Đỗ Thị Anh"]),
        ({"religion": "buddhism"}, ["Đỗ Thị Anh"]),
        ({"admission_year": 2026}, ["Trần Thị Bình"]),
        ({"age_band": "30-40"}, []),
        ({"age_band": "41-50"}, ["Nguyễn Văn An", "Đỗ Thị Anh", "Trần Thị Bình", "Lê Văn Cường"]),
    ],
)
def test_list_filters_like_the_list_page(as_user, province_staff, people, params, expected):
    assert names(as_user(province_staff).get(URL, params)) == expected


def test_organization_filter_includes_its_subtree(as_user, province_staff, people, org_tree):
    response = as_user(province_staff).get(URL, {"organization": org_tree.commune_a.pk})

    assert names(response) == ["Nguyễn Văn An", "Đỗ Thị Anh", "Trần Thị Bình"]
    first = response.json()["items"][0]
    assert first["organization"] == {"id": org_tree.cell_a.pk, "name": "Chi bộ thôn Đông"}
    assert (first["status"], first["status_label"]) == ("official", "Đảng viên chính thức")


def test_organization_filter_outside_scope_is_404(as_user, commune_a_staff, people, org_tree):
    assert as_user(commune_a_staff).get(URL, {"organization": org_tree.commune_b.pk}).status_code == 404


def test_inactive_members_are_listed_only_on_request(as_user, commune_a_staff, people):
    client = as_user(commune_a_staff)
    payload = {"action": "death", "effective_on": "2026-01-05", "reason": "Từ trần"}
    assert post(client, f"{URL}{people['anh'].pk}/events", payload).status_code == 201

    assert "Đỗ Thị Anh" not in names(client.get(URL))
    assert "Đỗ Thị Anh" in names(client.get(URL, {"include_inactive": "true"}))


def test_unknown_filter_value_is_422_in_vietnamese(as_user, province_staff, people):
    response = as_user(province_staff).get(URL, {"age_band": "tre"})

    assert response.status_code == 422
    assert response.json()["field"] == "age_band"
    assert response.json()["detail"] == "Giá trị không nằm trong danh mục cho phép."


def test_list_is_paginated(as_user, province_staff, people):
    body = as_user(province_staff).get(URL, {"limit": 2, "offset": 1}).json()

    assert body["count"] == 4
    assert [i["full_name"] for i in body["items"]] == ["Đỗ Thị Anh", "Trần Thị Bình"]


def test_list_query_count_is_flat(as_user, province_staff, org_tree, people, django_assert_max_num_queries):
    for n in range(30):
        register(org_tree.cell_b, f"Phạm Văn Số {n}")
    client = as_user(province_staff)

    # session + user + scope roots + "only a member?" + page + count
    with django_assert_max_num_queries(6):
        response = client.get(URL, {"limit": 100})

    assert response.json()["count"] == 34


# --- Masking and reveal -----------------------------------------------------------------------


def test_list_masks_sensitive_fields_by_default(as_user, commune_a_staff, people):
    items = {i["full_name"]: i for i in as_user(commune_a_staff).get(URL).json()["items"]}

    an = items["Nguyễn Văn An"]
    assert an["masked"] is True
    assert an["citizen_id"] == "••••••••0123"
    assert an["ethnicity"] is None and an["religion"] is None
    assert items["Đỗ Thị Anh"]["religion_label"] is None
    assert not AccessLog.objects.exists()


def test_reveal_by_a_manager_unmasks_and_logs_each_member(as_user, commune_a_staff, people):
    response = as_user(commune_a_staff).get(URL, {"reveal": "true"})

    items = {i["full_name"]: i for i in response.json()["items"]}
    assert items["Nguyễn Văn An"]["citizen_id"] == "001085000123"
    assert items["Đỗ Thị Anh"]["ethnicity_label"] == "Tày"
    assert items["Đỗ Thị Anh"]["religion_label"] == "Phật giáo"
    assert {i["masked"] for i in items.values()} == {False}
    logs = AccessLog.objects.filter(user=commune_a_staff, action=AccessLog.Action.REVEAL)
    assert sorted(logs.values_list("object_id", flat=True)) == sorted(
        str(people[k].pk) for k in ("an", "anh", "binh")
    )


@pytest.mark.parametrize("persona", ["province_leader", "cell_secretary"])
def test_reveal_by_someone_who_may_only_read_is_403_and_not_logged(request, as_user, people, persona):
    client = as_user(request.getfixturevalue(persona))

    assert client.get(URL, {"reveal": "true"}).status_code == 403
    response = client.get(f"{URL}{people['an'].pk}", {"reveal": "true"})

    assert response.status_code == 403
    assert response.json()["detail"] == "Không có quyền xem thông tin nhạy cảm của đảng viên này."
    assert not AccessLog.objects.exists()


def test_a_member_may_reveal_their_own_record(as_user, member, people):
    response = as_user(member).get(f"{URL}{people['an'].pk}", {"reveal": "true"})

    assert response.status_code == 200
    assert response.json()["citizen_id"] == "001085000123"
    assert AccessLog.objects.get().object_id == str(people["an"].pk)


def test_detail_has_the_whole_record_masked(as_user, commune_a_staff, people, org_tree):
    body = as_user(commune_a_staff).get(f"{URL}{people['an'].pk}").json()

    assert body["full_name"] == "Nguyễn Văn An"
    assert body["card_number"] == "12345678"
    assert body["citizen_id"] == "••••••••0123"
    assert body["ceremony_date"] == "2010-05-19"
    assert body["official_on"] == "2011-05-19"
    assert body["organization"]["id"] == org_tree.cell_a.pk


# --- Creating ---------------------------------------------------------------------------------


def admit_payload(org, **overrides):
    return {
        "mode": "admit",
        "organization_id": org.pk,
        "full_name": "Hoàng Văn Mới",
        "gender": "male",
        "birth_date": "1995-04-01",
        "admission_decision_date": "2025-09-01",
        "ceremony_date": "2025-09-20",
        "citizen_id": "001095001234",
        "decision_ref": "Số 125-QĐ/ĐU",
        **overrides,
    }


def test_admit_creates_a_probationary_member(as_user, commune_a_staff, org_tree):
    response = post(as_user(commune_a_staff), URL, admit_payload(org_tree.cell_a))

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "probationary"
    assert body["organization"]["id"] == org_tree.cell_a.pk
    event = MemberEvent.objects.get(member_id=body["id"])
    assert event.kind == MemberEvent.Kind.ADMITTED
    assert event.actor == commune_a_staff
    assert event.decision_ref == "Số 125-QĐ/ĐU"


def test_admit_at_17_years_11_months_is_400_naming_the_regulation(as_user, commune_a_staff, org_tree):
    payload = admit_payload(org_tree.cell_a, birth_date="2007-10-01")  # 17 years 11 months on 01/09/2025

    response = post(as_user(commune_a_staff), URL, payload)

    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "birth_date"
    assert "294-QĐ/TW" in body["detail"]
    assert not Member.objects.filter(full_name="Hoàng Văn Mới").exists()


def test_register_derives_the_status_from_the_dates(as_user, commune_a_staff, org_tree):
    payload = admit_payload(
        org_tree.cell_a, mode="register", admission_decision_date="2015-01-05", ceremony_date="2015-02-03"
    )

    body = post(as_user(commune_a_staff), URL, payload).json()

    assert body["status"] == "official"
    assert body["official_on"] == "2016-02-03"


def test_create_in_another_commune_is_404_and_by_a_leader_is_403(
    as_user, commune_a_staff, province_leader, org_tree
):
    assert post(as_user(commune_a_staff), URL, admit_payload(org_tree.cell_b)).status_code == 404
    assert post(as_user(province_leader), URL, admit_payload(org_tree.cell_b)).status_code == 403
    assert not Member.objects.exists()


def test_create_with_a_missing_field_is_422(as_user, commune_a_staff, org_tree):
    payload = admit_payload(org_tree.cell_a)
    del payload["birth_date"]

    response = post(as_user(commune_a_staff), URL, payload)

    assert response.status_code == 422
    assert (response.json()["field"], response.json()["detail"]) == ("birth_date", "Thiếu trường bắt buộc.")


# --- Correcting -------------------------------------------------------------------------------


def test_patch_without_a_reason_is_refused(as_user, commune_a_staff, people):
    client = as_user(commune_a_staff)
    url = f"{URL}{people['an'].pk}"

    missing = patch(client, url, {"phone": "0912345678"})
    blank = patch(client, url, {"phone": "0912345678", "reason": "  "})

    assert (missing.status_code, missing.json()["field"]) == (422, "reason")
    assert (blank.status_code, blank.json()["detail"]) == (422, "Hãy ghi lý do sửa hồ sơ.")
    people["an"].refresh_from_db()
    assert people["an"].phone == ""


def test_patch_corrects_and_history_shows_who_when_why_old_and_new(as_user, commune_a_staff, people):
    client = as_user(commune_a_staff)
    url = f"{URL}{people['an'].pk}"

    response = patch(client, url, {"phone": "0912345678", "citizen_id": "001085000124", "reason": "Sai số"})

    assert response.status_code == 200, response.content
    assert response.json()["phone"] == "0912345678"
    history = client.get(f"{url}/history").json()["items"]
    latest = history[0]
    assert latest["type"] == "changed"
    assert latest["user_name"] == "Commune A Staff"
    assert latest["reason"] == "Sai số"
    changes = {c["field"]: c for c in latest["changes"]}
    assert (changes["phone"]["old"], changes["phone"]["new"]) == ("", "0912345678")
    assert changes["phone"]["label"] == "điện thoại"
    assert (changes["citizen_id"]["old"], changes["citizen_id"]["new"]) == (None, None)  # masked
    assert history[-1]["type"] == "created"
    revealed = client.get(f"{url}/history", {"reveal": "true"}).json()["items"][0]
    cid = next(c for c in revealed["changes"] if c["field"] == "citizen_id")
    assert (cid["old"], cid["new"]) == ("001085000123", "001085000124")


@pytest.mark.parametrize("persona", ["province_leader", "cell_secretary", "member"])
def test_who_may_only_read_gets_403_on_patch(request, as_user, people, persona):
    client = as_user(request.getfixturevalue(persona))

    response = patch(client, f"{URL}{people['an'].pk}", {"phone": "0900", "reason": "Thử"})

    assert response.status_code == 403
    people["an"].refresh_from_db()
    assert people["an"].phone == ""


def test_patch_with_nothing_to_change_is_400(as_user, commune_a_staff, people):
    response = patch(as_user(commune_a_staff), f"{URL}{people['an'].pk}", {"reason": "Không đổi gì"})

    assert response.status_code == 400


def test_patch_with_a_citizen_id_already_used_is_400(as_user, commune_a_staff, people):
    response = patch(
        as_user(commune_a_staff), f"{URL}{people['anh'].pk}", {"citizen_id": "001085000999", "reason": "Sửa"}
    )

    assert response.status_code == 400
    assert response.json()["field"] == "citizen_id"
    assert response.json()["detail"] == "Số CCCD này đã có trong hồ sơ của một đảng viên khác."


# --- Lifecycle --------------------------------------------------------------------------------


def test_death_is_recorded_as_an_event_and_changes_the_status(as_user, commune_a_staff, people):
    client = as_user(commune_a_staff)
    payload = {"action": "death", "effective_on": "2026-01-05", "reason": "Từ trần do bệnh"}

    response = post(client, f"{URL}{people['anh'].pk}/events", payload)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["member"]["status"] == "deceased"
    assert body["event"]["kind"] == "deceased"
    assert body["event"]["effective_on"] == "2026-01-05"
    assert body["event"]["actor_name"] == "Commune A Staff"
    events = client.get(f"{URL}{people['anh'].pk}/events").json()["items"]
    assert [e["kind"] for e in events][0] == "deceased"


def test_discipline_events_are_shown_only_on_reveal(as_user, commune_a_staff, people):
    client = as_user(commune_a_staff)
    url = f"{URL}{people['an'].pk}/events"
    payload = {"action": "discipline", "form": "reprimand", "effective_on": "2026-02-01", "reason": "Vi phạm"}

    assert post(client, url, payload).status_code == 201

    assert "disciplined" not in [e["kind"] for e in client.get(url).json()["items"]]
    assert "disciplined" in [e["kind"] for e in client.get(url, {"reveal": "true"}).json()["items"]]


def test_recognize_official_with_the_wrong_date_is_400(as_user, commune_a_staff, people):
    payload = {"action": "recognize_official", "effective_on": "2026-01-01"}

    response = post(as_user(commune_a_staff), f"{URL}{people['binh'].pk}/events", payload)

    assert response.status_code == 400
    assert response.json()["field"] == "effective_on"
    assert "01/06/2027" in response.json()["detail"]
    assert "Quy định" in response.json()["detail"]


def test_unknown_action_is_422(as_user, commune_a_staff, people):
    response = post(as_user(commune_a_staff), f"{URL}{people['an'].pk}/events", {"action": "promote"})

    assert response.status_code == 422


def test_lifecycle_action_by_a_reader_is_403(as_user, province_leader, people):
    payload = {"action": "death", "effective_on": "2026-01-05", "reason": "Từ trần"}

    response = post(as_user(province_leader), f"{URL}{people['an'].pk}/events", payload)

    assert response.status_code == 403
    assert not people["an"].events.filter(kind=MemberEvent.Kind.DECEASED).exists()


def test_recognize_official_takes_effect_at_ceremony_plus_12_months(
    as_user, commune_a_staff, people, time_machine
):
    time_machine.move_to(datetime.datetime(2027, 6, 3, 9, 0, tzinfo=datetime.UTC), tick=False)
    payload = {"action": "recognize_official", "decision_ref": "Số 40-QĐ/ĐU", "reason": "Đủ điều kiện"}

    response = post(as_user(commune_a_staff), f"{URL}{people['binh'].pk}/events", payload)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["member"]["status"] == "official"
    assert body["member"]["official_on"] == "2027-06-01"
    assert (body["event"]["kind"], body["event"]["effective_on"]) == ("recognized_official", "2027-06-01")


def test_exemption_and_its_end_are_two_events(as_user, commune_a_staff, people):
    client = as_user(commune_a_staff)
    url = f"{URL}{people['an'].pk}/events"

    exempted = post(client, url, {"action": "exempt", "effective_on": "2026-02-01", "reason": "Tuổi cao"})
    ended = post(client, url, {"action": "end_exemption", "effective_on": "2026-08-01", "reason": "Khỏe lại"})

    assert exempted.json()["member"]["exempted"] is True
    assert ended.json()["member"]["exempted"] is False
    assert [e["kind"] for e in client.get(url).json()["items"]][:2] == ["exemption_ended", "exempted"]


def test_a_badge_before_its_milestone_is_400_naming_the_regulation(as_user, commune_a_staff, people):
    payload = {"action": "award_badge", "years": 30, "effective_on": "2026-09-02"}

    response = post(as_user(commune_a_staff), f"{URL}{people['an'].pk}/events", payload)

    assert response.status_code == 400
    assert response.json()["field"] == "years"
    assert "HD/TW" in response.json()["detail"]
    assert not people["an"].events.filter(kind=MemberEvent.Kind.BADGE_AWARDED).exists()


# --- Transfers --------------------------------------------------------------------------------


def issue(client, member, to_org, **extra):
    payload = {
        "action": "transfer_issue",
        "kind": "official",
        "to_org_id": to_org.pk,
        "effective_on": "2026-03-02",
        "decision_ref": "Số 15-GGT/ĐU",
        "reason": "Chuyển nơi ở",
        **extra,
    }
    return post(client, f"{URL}{member.pk}/events", payload)


def test_transfer_across_communes_is_accepted_by_the_receiving_side(
    client, commune_a_staff, commune_b_staff, people, org_tree
):
    an = people["an"]
    client.force_login(commune_a_staff)
    issued = issue(client, an, org_tree.cell_b)
    assert issued.status_code == 201, issued.content
    transfer = issued.json()["transfer"]
    assert transfer["state"] == "pending"
    assert transfer["to_org"] == {"id": org_tree.cell_b.pk, "name": "Chi bộ khu phố 1"}

    # The sending side may not accept on the receiver's behalf.
    assert post(client, f"{URL}transfers/{transfer['id']}/accept", {}).status_code == 403

    client.force_login(commune_b_staff)
    assert client.get(f"{URL}{an.pk}").status_code == 200  # the receiver sees whom it will accept
    listed = client.get(f"{URL}transfers/", {"organization": org_tree.commune_b.pk}).json()
    assert [t["id"] for t in listed] == [transfer["id"]]
    accepted = post(client, f"{URL}transfers/{transfer['id']}/accept", {"on": "2026-03-10"})

    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["state"] == "completed"
    an.refresh_from_db()
    assert an.organization == org_tree.cell_b
    assert "Nguyễn Văn An" in names(client.get(URL))
    client.force_login(commune_a_staff)
    assert client.get(f"{URL}{an.pk}").status_code == 404


def test_transfer_is_invisible_to_a_third_party(as_user, commune_a_staff, outsider, people, org_tree):
    transfer_id = issue(as_user(commune_a_staff), people["an"], org_tree.cell_b).json()["transfer"]["id"]

    response = post(as_user(outsider), f"{URL}transfers/{transfer_id}/accept", {})

    assert response.status_code == 404
    assert Transfer.objects.get(pk=transfer_id).state == Transfer.State.PENDING


def test_sender_cancels_a_pending_transfer_with_a_reason(as_user, commune_a_staff, people, org_tree):
    client = as_user(commune_a_staff)
    transfer_id = issue(client, people["an"], org_tree.cell_b).json()["transfer"]["id"]

    no_reason = post(client, f"{URL}transfers/{transfer_id}/cancel", {"reason": ""})
    cancelled = post(client, f"{URL}transfers/{transfer_id}/cancel", {"reason": "Không chuyển nữa"})

    assert no_reason.status_code == 422
    assert cancelled.status_code == 200, cancelled.content
    assert cancelled.json()["state"] == "cancelled"
    people["an"].refresh_from_db()
    assert people["an"].organization == org_tree.cell_a


def test_temporary_transfer_is_listed_at_the_host_and_ended(
    client, commune_a_staff, commune_b_staff, people, org_tree
):
    an = people["an"]
    client.force_login(commune_a_staff)
    issued = issue(client, an, org_tree.cell_b, kind="temporary", ends_on="2026-09-30")
    transfer_id = issued.json()["transfer"]["id"]

    client.force_login(commune_b_staff)
    accepted = post(client, f"{URL}transfers/{transfer_id}/accept", {"on": "2026-03-10"})
    assert accepted.json()["state"] == "active"
    an.refresh_from_db()
    assert an.organization == org_tree.cell_a  # still counted at home
    assert client.get(f"{URL}{an.pk}").status_code == 200  # the host sees its temporary member

    ended = post(client, f"{URL}transfers/{transfer_id}/end", {"on": "2026-09-30", "reason": "Hết hạn"})
    assert ended.status_code == 200, ended.content
    assert ended.json()["state"] == "completed"
    assert client.get(f"{URL}{an.pk}").status_code == 404


def test_transfer_to_the_members_own_cell_is_400_on_the_payload_field(
    as_user, commune_a_staff, people, org_tree
):
    response = issue(as_user(commune_a_staff), people["an"], org_tree.cell_a)

    assert response.status_code == 400
    assert response.json()["field"] == "to_org_id"
    assert not Transfer.objects.exists()


# --- Import -----------------------------------------------------------------------------------


def xlsx(rows: list[dict[str, str]]) -> bytes:
    """The downloaded template with `rows` (header → value) typed into its data sheet."""
    headers = [c.header for c in COLUMNS]
    wb = openpyxl.load_workbook(io.BytesIO(build_template()))
    ws = wb["Đảng viên"]
    for r, row in enumerate(rows, start=2):
        for header, value in row.items():
            ws.cell(row=r, column=headers.index(header) + 1, value=value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def row(name: str, **over: str) -> dict[str, str]:
    return {
        "Họ và tên*": name,
        "Giới tính* (Nam/Nữ)": "Nữ",
        "Ngày sinh* (dd/mm/yyyy)": "05/09/1980",
        "Ngày quyết định kết nạp* (dd/mm/yyyy)": "10/03/2015",
        "Ngày kết nạp* (dd/mm/yyyy)": "26/03/2015",
        "Mã chi bộ*": "T99-AB-D",
        **over,
    }


def upload(client, content: bytes, org, *, dry_run: bool):
    file = SimpleUploadedFile("dang-vien.xlsx", content)
    return client.post(f"{URL}import", {"file": file, "organization": org.pk, "dry_run": dry_run})


def test_import_dry_run_checks_every_row_and_writes_nothing(as_user, commune_a_staff, org_tree):
    content = xlsx([row("Phan Thị Lan"), row("Vũ Thị Mai")])

    response = upload(as_user(commune_a_staff), content, org_tree.commune_a, dry_run=True)

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["ok"], body["dry_run"], body["total_rows"], body["created"]) == (True, True, 2, 0)
    assert body["summary"] == "Kiểm tra xong: 2 dòng hợp lệ. Chưa ghi dữ liệu (chạy thử)."
    assert not Member.objects.exists()


def test_import_writes_the_rows_when_not_a_dry_run(as_user, commune_a_staff, org_tree):
    content = xlsx([row("Phan Thị Lan"), row("Vũ Thị Mai")])

    response = upload(as_user(commune_a_staff), content, org_tree.commune_a, dry_run=False)

    assert response.status_code == 200, response.content
    assert response.json()["created"] == 2
    assert set(Member.objects.values_list("full_name", flat=True)) == {"Phan Thị Lan", "Vũ Thị Mai"}
    assert Member.objects.get(full_name="Phan Thị Lan").organization == org_tree.cell_a


def test_import_with_bad_rows_is_400_with_the_report_and_writes_nothing(as_user, commune_a_staff, org_tree):
    content = xlsx(
        [
            row("Phan Thị Lan"),
            row("Vũ Thị Mai", **{"Số CCCD": "12345"}),
            row("Lý Văn Nam", **{"Mã chi bộ*": "T99-BS-1"}),  # commune B: not under commune A
        ]
    )

    response = upload(as_user(commune_a_staff), content, org_tree.commune_a, dry_run=False)

    assert response.status_code == 400
    body = response.json()
    assert body["ok"] is False
    by_row = {e["row"]: e for e in body["errors"]}
    assert set(by_row) == {3, 4}
    assert by_row[3]["column"] == "Số CCCD"
    assert by_row[3]["value"] == "12345"
    assert "12 chữ số" in by_row[3]["message"]
    assert by_row[4]["column"] == "Mã chi bộ*"
    assert not Member.objects.exists()


def test_import_of_a_file_that_is_not_xlsx_is_400(as_user, commune_a_staff, org_tree):
    response = upload(as_user(commune_a_staff), b"ho ten;ngay sinh\n", org_tree.commune_a, dry_run=True)

    assert response.status_code == 400
    assert "không phải bảng tính Excel" in response.json()["refused"]


def test_import_into_another_commune_is_404_and_by_a_leader_is_403(
    as_user, commune_a_staff, province_leader, org_tree
):
    content = xlsx([row("Phan Thị Lan", **{"Mã chi bộ*": "T99-BS-1"})])

    assert upload(as_user(commune_a_staff), content, org_tree.commune_b, dry_run=True).status_code == 404
    assert upload(as_user(province_leader), content, org_tree.commune_b, dry_run=True).status_code == 403


def test_import_without_a_file_or_organization_is_422_naming_it(as_user, commune_a_staff, org_tree):
    client = as_user(commune_a_staff)

    no_file = client.post(f"{URL}import", {"organization": org_tree.commune_a.pk})
    no_org = client.post(f"{URL}import", {"file": SimpleUploadedFile("a.xlsx", xlsx([]))})

    assert (no_file.status_code, no_file.json()["field"]) == (422, "file")
    assert (no_org.status_code, no_org.json()["field"]) == (422, "organization")
    assert no_org.json()["detail"] == "Thiếu trường bắt buộc."


# --- No DELETE, OpenAPI -----------------------------------------------------------------------


def test_nothing_can_be_deleted(as_user, system_admin, people):
    client = as_user(system_admin)

    assert client.delete(f"{URL}{people['an'].pk}").status_code == 405
    assert client.delete(URL).status_code == 405
    assert Member.objects.filter(pk=people["an"].pk).exists()


def test_bearer_token_acts_with_its_users_scope(client, commune_b_staff, people):
    _, raw = api_token_create(user=commune_b_staff, name="test")
    headers = {"Authorization": f"Bearer {raw}"}

    listed = client.get(URL, headers=headers)
    other = client.get(f"{URL}{people['an'].pk}", headers=headers)

    assert names(listed) == ["Lê Văn Cường"]
    assert other.status_code == 404


def test_openapi_lists_every_path(client):
    schema = client.get("/api/v1/openapi.json").json()

    paths = schema["paths"]
    assert set(paths) >= {
        "/api/v1/members/",
        "/api/v1/members/{member_id}",
        "/api/v1/members/{member_id}/events",
        "/api/v1/members/{member_id}/history",
        "/api/v1/members/transfers/",
        "/api/v1/members/transfers/{transfer_id}/accept",
        "/api/v1/members/transfers/{transfer_id}/cancel",
        "/api/v1/members/transfers/{transfer_id}/end",
        "/api/v1/members/import",
    }
    assert set(paths["/api/v1/members/"]) == {"get", "post"}
    assert set(paths["/api/v1/members/{member_id}"]) == {"get", "patch"}
    assert set(paths["/api/v1/members/{member_id}/events"]) == {"get", "post"}
    for name in ["MemberOut", "MemberDetailOut", "MemberIn", "MemberPatch", "TransferOut", "ImportReportOut"]:
        assert name in schema["components"]["schemas"]
