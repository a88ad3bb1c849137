"""The member pages, seen by each persona of the root conftest: scoping, masking, actions, transfers."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.urls import reverse
from openpyxl import Workbook

from dangvu.accounts.models import AccessLog
from dangvu.accounts.tests.factories import UserFactory
from dangvu.members import services
from dangvu.members.models import Member, MemberEvent, Transfer

pytestmark = pytest.mark.django_db
D = datetime.date
CCCD = "001085012345"


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def register(org, full_name, *, official=True, user=None, **fields):
    """An existing member entered from paper records, through the service like the pages do."""
    admin = UserFactory(username=f"registrar-{Member.objects.count()}", is_superuser=True)
    ceremony = D(2010, 5, 19) if official else D(2025, 9, 2)
    data = {
        "full_name": full_name,
        "gender": "male",
        "birth_date": D(1985, 3, 10),
        "admission_decision_date": ceremony - datetime.timedelta(days=10),
        "ceremony_date": ceremony,
        **fields,
    }
    m = services.member_register(actor=admin, organization=org, data=data, reason="Nhập hồ sơ giấy")
    if user is not None:
        m.user = user
        m.save(update_fields=["user"])
    return m


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def people(org_tree):
    return {
        "an": register(org_tree.cell_a, "Nguyễn Văn An", citizen_id=CCCD, religion="buddhism"),
        "binh": register(org_tree.school_cell, "Trần Thị Bình", gender="female"),
        "cuong": register(org_tree.cell_b, "Lê Văn Cường"),
    }


# --- The list ----------------------------------------------------------------------------------


def test_list_shows_only_the_users_subtree(as_user, commune_a_staff, people):
    page = html(as_user(commune_a_staff).get(reverse("members:member_list")))
    assert "Nguyễn Văn An" in page and "Trần Thị Bình" in page
    assert "Lê Văn Cường" not in page


def test_list_is_empty_for_an_outsider(as_user, outsider, people):
    page = html(as_user(outsider).get(reverse("members:member_list")))
    assert "Nguyễn Văn An" not in page and "Lê Văn Cường" not in page
    assert "Không có đảng viên nào" in page


def test_plain_member_sees_only_their_own_record(as_user, org_tree, member, people):
    register(org_tree.cell_a, "Phạm Văn Dũng", user=member)
    page = html(as_user(member).get(reverse("members:member_list")))
    assert "Phạm Văn Dũng" in page
    assert "Nguyễn Văn An" not in page
    assert as_user(member).get(reverse("members:member_detail", args=[people["an"].pk])).status_code == 404


def test_search_without_diacritics_updates_only_the_table(as_user, province_staff, people):
    client = as_user(province_staff)
    response = client.get(reverse("members:member_list"), {"q": "tran thi binh"}, HTTP_HX_REQUEST="true")
    page = html(response)
    assert 'id="member-table"' in page and "<html" not in page  # the htmx partial only
    assert "Trần Thị Bình" in page and "Nguyễn Văn An" not in page


def test_search_by_citizen_id(as_user, province_staff, people):
    page = html(as_user(province_staff).get(reverse("members:member_list"), {"q": CCCD}))
    assert "Nguyễn Văn An" in page and "Trần Thị Bình" not in page


def test_filter_by_organization_outside_scope_is_refused(as_user, org_tree, commune_a_staff, people):
    page = html(as_user(commune_a_staff).get(reverse("members:member_list"), {"to_chuc": org_tree.cell_b.pk}))
    assert "Lê Văn Cường" not in page
    assert "Không có tổ chức này trong phạm vi của bạn." in page


def test_filter_by_organization_and_gender(as_user, org_tree, province_staff, people):
    client = as_user(province_staff)
    page = html(client.get(reverse("members:member_list"), {"to_chuc": org_tree.commune_a.pk}))
    assert "Nguyễn Văn An" in page and "Trần Thị Bình" in page and "Lê Văn Cường" not in page
    page = html(client.get(reverse("members:member_list"), {"gioi_tinh": "female"}))
    assert "Trần Thị Bình" in page and "Nguyễn Văn An" not in page


def test_invalid_admission_year_is_a_vietnamese_error(as_user, province_staff, people):
    page = html(as_user(province_staff).get(reverse("members:member_list"), {"nam_vao_dang": "abc"}))
    assert "Năm vào Đảng phải là một số" in page


def test_list_rows_show_dates_as_dd_mm_yyyy(as_user, province_staff, people):
    page = html(as_user(province_staff).get(reverse("members:member_list")))
    assert "10/03/1985" in page  # birth date
    assert "09/05/2010" in page  # admission decision date


def test_list_query_count_does_not_grow_with_the_page(
    as_user, org_tree, province_staff, people, django_assert_max_num_queries
):
    client = as_user(province_staff)
    client.get(reverse("members:member_list"))  # warm the session
    with django_assert_max_num_queries(14) as small:
        client.get(reverse("members:member_list"))
    for i in range(30):
        register(org_tree.cell_b, f"Hoàng Văn Mới {i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("members:member_list"))
    assert response.content.decode().count('href="/dang-vien/') >= 33


# --- The member page and masking -----------------------------------------------------------------


def test_member_page_out_of_scope_is_404(as_user, commune_a_staff, outsider, people):
    url = reverse("members:member_detail", args=[people["cuong"].pk])
    assert as_user(commune_a_staff).get(url).status_code == 404
    assert as_user(outsider).get(url).status_code == 404


def test_citizen_id_is_masked_until_revealed_and_the_reveal_is_logged(as_user, commune_a_staff, people):
    client = as_user(commune_a_staff)
    an = people["an"]
    page = html(client.get(reverse("members:member_detail", args=[an.pk])))
    assert CCCD not in page
    assert "••••••••2345" in page
    assert "Phật giáo" not in page and "Đã ẩn" in page
    assert not AccessLog.objects.exists()

    revealed = html(client.post(reverse("members:member_reveal", args=[an.pk]), HTTP_HX_REQUEST="true"))
    assert CCCD in revealed and "Phật giáo" in revealed
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.object_type, log.object_id) == (
        commune_a_staff,
        AccessLog.Action.REVEAL,
        "member",
        str(an.pk),
    )


def test_leader_without_the_right_cannot_reveal(as_user, province_leader, people):
    client = as_user(province_leader)
    page = html(client.get(reverse("members:member_detail", args=[people["an"].pk])))
    assert "Hiện thông tin ẩn" not in page
    assert client.post(reverse("members:member_reveal", args=[people["an"].pk])).status_code == 404
    assert not AccessLog.objects.exists()


def test_reveal_requires_post(as_user, commune_a_staff, people):
    assert (
        as_user(commune_a_staff).get(reverse("members:member_reveal", args=[people["an"].pk])).status_code
        == 405
    )


def test_member_page_shows_timeline_and_correction_history(as_user, commune_a_staff, people):
    an = people["an"]
    services.member_update(
        actor=commune_a_staff,
        member=an,
        changes={"birth_place": "Hà Giang"},
        reason="Sửa theo giấy khai sinh",
    )
    page = html(as_user(commune_a_staff).get(reverse("members:member_detail", args=[an.pk])))
    assert "Kết nạp" in page and "Công nhận đảng viên chính thức" in page  # the timeline
    assert "Hà Giang" in page and "Sửa theo giấy khai sinh" in page  # the history
    assert "Nơi sinh" in page


def test_discipline_entries_are_hidden_until_revealed(as_user, commune_a_staff, people):
    an = people["an"]
    services.member_discipline(
        actor=commune_a_staff,
        member=an,
        form="reprimand",
        effective_on=D(2024, 3, 1),
        decision_ref="05-QĐ/ĐU",
        reason="Vi phạm quy chế sinh hoạt",
    )
    client = as_user(commune_a_staff)
    page = html(client.get(reverse("members:member_detail", args=[an.pk])))
    assert "Vi phạm quy chế sinh hoạt" not in page and "05-QĐ/ĐU" not in page
    revealed = html(client.post(reverse("members:member_reveal", args=[an.pk])))
    assert "Vi phạm quy chế sinh hoạt" in revealed


# --- Exports -----------------------------------------------------------------------------------


def test_export_of_the_filtered_list_is_logged(as_user, commune_a_staff, people):
    response = as_user(commune_a_staff).get(reverse("members:member_export"), {"q": "an"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content[:2] == b"PK"
    log = AccessLog.objects.get()
    assert log.action == AccessLog.Action.EXPORT and log.user == commune_a_staff


def test_register_export_out_of_scope_is_404(as_user, org_tree, commune_a_staff, people):
    client = as_user(commune_a_staff)
    assert client.get(reverse("members:member_register_export", args=[org_tree.cell_b.pk])).status_code == 404
    response = client.get(reverse("members:member_register_export", args=[org_tree.cell_a.pk]))
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert (
        AccessLog.objects.filter(action=AccessLog.Action.EXPORT, object_type="member_register").count() == 1
    )


# --- Actions -------------------------------------------------------------------------------------


def test_admit_through_the_form(as_user, org_tree, commune_a_staff):
    response = as_user(commune_a_staff).post(
        reverse("members:member_admit"),
        {
            "organization": org_tree.cell_a.pk,
            "full_name": "Đỗ Thị Hoa",
            "gender": "female",
            "birth_date": "12/04/1998",
            "ethnicity": "01",
            "religion": "none",
            "qualification": "bachelor",
            "theory_level": "elementary",
            "admission_decision_date": "01/09/2025",
            "ceremony_date": "02/09/2025",
            "decision_ref": "125-QĐ/ĐU",
        },
    )
    hoa = Member.objects.get(full_name="Đỗ Thị Hoa")
    assert response.status_code == 302 and response.url == reverse("members:member_detail", args=[hoa.pk])
    assert hoa.organization == org_tree.cell_a and hoa.status == "probationary"
    assert hoa.events.filter(kind=MemberEvent.Kind.ADMITTED).exists()


def test_admit_too_young_shows_the_rule_in_vietnamese(as_user, org_tree, commune_a_staff):
    response = as_user(commune_a_staff).post(
        reverse("members:member_admit"),
        {
            "organization": org_tree.cell_a.pk,
            "full_name": "Đỗ Văn Nhỏ",
            "gender": "male",
            "birth_date": "12/04/2010",
            "ethnicity": "01",
            "religion": "none",
            "qualification": "none",
            "theory_level": "none",
            "admission_decision_date": "01/09/2025",
            "ceremony_date": "02/09/2025",
        },
    )
    page = html(response)
    assert "Quy định" in page  # the message names the regulation
    assert not Member.objects.filter(full_name="Đỗ Văn Nhỏ").exists()


def test_admit_form_validation_is_vietnamese(as_user, org_tree, commune_a_staff):
    page = html(as_user(commune_a_staff).post(reverse("members:member_admit"), {"birth_date": "31/02/1990"}))
    assert "Hãy nhập họ và tên." in page
    assert "Ngày không hợp lệ. Hãy nhập theo dạng dd/mm/yyyy" in page
    assert "Hãy chọn chi bộ." in page


def test_admit_into_an_organization_outside_scope_is_refused(as_user, org_tree, commune_a_staff):
    page = html(
        as_user(commune_a_staff).post(reverse("members:member_admit"), {"organization": org_tree.cell_b.pk})
    )
    assert "Không thể kết nạp vào tổ chức này" in page


def test_lifecycle_action_through_the_form(as_user, commune_a_staff, people):
    an = people["an"]
    url = reverse("members:member_action", args=[an.pk, "ra-khoi-dang"])
    response = as_user(commune_a_staff).post(
        url,
        {
            "kind": "deceased",
            "effective_on": "15/10/2025",
            "decision_ref": "",
            "reason": "Từ trần do bệnh",
        },
    )
    assert response.status_code == 302
    an.refresh_from_db()
    assert an.status == "deceased"
    event = an.events.get(kind=MemberEvent.Kind.DECEASED)
    assert event.effective_on == D(2025, 10, 15) and event.actor == commune_a_staff


@pytest.mark.parametrize(
    ("slug", "data", "status", "event"),
    [
        (
            "mien-sinh-hoat",
            {"effective_on": "01/10/2025", "reason": "Tuổi cao, sức yếu"},
            "official",
            "exempted",
        ),
        (
            "ky-luat",
            {"form": "warning", "effective_on": "01/10/2025", "reason": "Vi phạm"},
            "official",
            "disciplined",
        ),
        ("huy-hieu", {"years": "30", "effective_on": "03/02/2026", "decision_ref": "12-QĐ/TU"}, None, None),
        (
            "ra-khoi-dang",
            {"kind": "contact_lost", "effective_on": "01/10/2025", "reason": "Không rõ"},
            "contact_lost",
            "contact_lost",
        ),
    ],
)
def test_each_action_form_reaches_its_service(as_user, commune_a_staff, people, slug, data, status, event):
    an = people["an"]
    response = as_user(commune_a_staff).post(reverse("members:member_action", args=[an.pk, slug]), data)
    # Either done (redirect) or refused by a rule with a Vietnamese message on the form; never a 500.
    assert response.status_code in (200, 302)
    if status:
        assert response.status_code == 302, response.content.decode()
        an.refresh_from_db()
        assert an.status == status and an.events.filter(kind=event).exists()


def test_end_exemption_and_restore_contact_through_the_forms(as_user, commune_a_staff, people):
    an = people["an"]
    client = as_user(commune_a_staff)
    url = lambda slug: reverse("members:member_action", args=[an.pk, slug])  # noqa: E731
    assert (
        client.post(url("mien-sinh-hoat"), {"effective_on": "01/10/2025", "reason": "Ốm"}).status_code == 302
    )
    assert (
        client.post(url("thoi-mien"), {"effective_on": "01/11/2025", "reason": "Khỏe lại"}).status_code == 302
    )
    an.refresh_from_db()
    assert not an.exempted
    lost = {"kind": "contact_lost", "effective_on": "02/11/2025", "reason": "Đi làm ăn xa"}
    assert client.post(url("ra-khoi-dang"), lost).status_code == 302
    assert (
        client.post(url("lien-lac-lai"), {"effective_on": "03/11/2025", "reason": "Đã về"}).status_code == 302
    )
    an.refresh_from_db()
    assert an.status == "official"


def test_action_form_needs_date_and_reason(as_user, commune_a_staff, people):
    url = reverse("members:member_action", args=[people["an"].pk, "mien-sinh-hoat"])
    page = html(as_user(commune_a_staff).post(url, {"effective_on": "", "reason": ""}))
    assert "Hãy nhập ngày hiệu lực (dd/mm/yyyy)." in page and "Hãy ghi lý do." in page


def test_action_on_a_member_outside_scope_is_404(as_user, commune_a_staff, people):
    url = reverse("members:member_action", args=[people["cuong"].pk, "mien-sinh-hoat"])
    assert as_user(commune_a_staff).get(url).status_code == 404


def test_leader_may_read_but_not_act(as_user, province_leader, people):
    client = as_user(province_leader)
    assert client.get(reverse("members:member_detail", args=[people["an"].pk])).status_code == 200
    assert client.get(reverse("members:member_action", args=[people["an"].pk, "ky-luat"])).status_code == 404
    assert client.get(reverse("members:member_correct", args=[people["an"].pk])).status_code == 404


def test_correction_needs_a_reason(as_user, commune_a_staff, people):
    an = people["an"]
    url = reverse("members:member_correct", args=[an.pk])
    data = {f: "" for f in ("reason",)}
    data.update(
        full_name="Nguyễn Văn Ân",
        gender="male",
        birth_date="10/03/1985",
        ethnicity="01",
        religion="buddhism",
        qualification="none",
        theory_level="none",
        admission_decision_date="09/05/2010",
        ceremony_date="19/05/2010",
        citizen_id=CCCD,
    )
    page = html(as_user(commune_a_staff).post(url, data))
    assert "Hãy ghi lý do." in page
    an.refresh_from_db()
    assert an.full_name == "Nguyễn Văn An"

    data["reason"] = "Sai chính tả"
    assert as_user(commune_a_staff).post(url, data).status_code == 302
    an.refresh_from_db()
    assert an.full_name == "Nguyễn Văn Ân"


# --- Transfers -------------------------------------------------------------------------------------


def test_transfer_is_pending_on_both_sides_then_accepted(
    as_user, client, org_tree, commune_a_staff, commune_b_staff, people
):
    an = people["an"]
    a = as_user(commune_a_staff)
    # The destination search covers cells outside the sender's scope, showing name and code.
    found = html(a.get(reverse("members:transfer_destinations"), {"q": "khu pho 1"}))
    assert "Chi bộ khu phố 1" in found and "T99-BS-1" in found

    response = a.post(
        reverse("members:member_action", args=[an.pk, "chuyen-sinh-hoat"]),
        {
            "kind": "official",
            "destination": "internal",
            "to_org": org_tree.cell_b.pk,
            "issued_on": "03/11/2025",
            "decision_ref": "15-GGT/ĐU",
            "reason": "Chuyển nơi làm việc",
        },
    )
    assert response.status_code == 302, response.content.decode()
    transfer = Transfer.objects.get(member=an)
    assert transfer.state == Transfer.State.PENDING

    outgoing = html(a.get(reverse("members:transfer_inbox_org", args=[org_tree.commune_a.pk])))
    assert "Nguyễn Văn An" in outgoing and "Chờ tiếp nhận" in outgoing

    client.logout()
    b = as_user(commune_b_staff)
    incoming = html(b.get(reverse("members:transfer_inbox_org", args=[org_tree.commune_b.pk])))
    assert "Nguyễn Văn An" in incoming and "Tiếp nhận" in incoming
    assert b.get(reverse("members:member_detail", args=[an.pk])).status_code == 200  # the receiving side sees

    response = b.post(
        reverse("members:transfer_step", args=[transfer.pk, "tiep-nhan"]), {"on": "10/11/2025", "reason": ""}
    )
    assert response.status_code == 302
    transfer.refresh_from_db()
    an.refresh_from_db()
    assert transfer.state == Transfer.State.COMPLETED and an.organization == org_tree.cell_b

    page = html(b.get(reverse("members:member_list")))
    assert "Nguyễn Văn An" in page
    client.logout()
    assert as_user(commune_a_staff).get(reverse("members:member_detail", args=[an.pk])).status_code == 404


def test_transfer_form_errors_are_vietnamese(as_user, commune_a_staff, people):
    url = reverse("members:member_action", args=[people["an"].pk, "chuyen-sinh-hoat"])
    page = html(
        as_user(commune_a_staff).post(url, {"kind": "temporary", "destination": "internal", "reason": "x"})
    )
    assert "Hãy tìm và chọn chi bộ nơi đến." in page
    assert "Hãy nhập ngày giới thiệu (dd/mm/yyyy)." in page
    assert "Sinh hoạt tạm thời phải có ngày kết thúc." in page
    assert not Transfer.objects.exists()


def test_transfer_steps_of_others_are_404(as_user, org_tree, commune_a_staff, outsider, people):
    transfer = services.transfer_issue(
        actor=commune_a_staff,
        member=people["an"],
        kind="official",
        to_org=org_tree.cell_b,
        issued_on=D(2025, 11, 3),
    )
    assert (
        as_user(outsider).get(reverse("members:transfer_step", args=[transfer.pk, "tiep-nhan"])).status_code
        == 404
    )


# --- Import, badges, access log ---------------------------------------------------------------------


def _xlsx(rows):
    from dangvu.members import importing

    wb = Workbook()
    ws = wb.active
    template = importing.build_template()
    from openpyxl import load_workbook

    header = [c.value for c in next(load_workbook(io.BytesIO(template)).active.iter_rows(max_row=1))]
    ws.append(header)
    for row in rows:
        ws.append([row.get(h) for h in header])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "danh-sach.xlsx"
    return out


def test_import_page_reports_row_errors(as_user, org_tree, commune_a_staff):
    client = as_user(commune_a_staff)
    page = html(client.get(reverse("members:member_import")))
    assert "Kiểm tra thử" in page and reverse("members:import_template") in page
    template = client.get(reverse("members:import_template"))
    assert template.status_code == 200 and template.content[:2] == b"PK"

    upload = _xlsx([{}])  # an empty data row: every required column is missing
    page = html(
        client.post(
            reverse("members:member_import"),
            {"organization": org_tree.cell_a.pk, "file": upload, "kiem_tra": "1"},
        )
    )
    assert 'id="import-errors"' in page
    assert not Member.objects.exists()


def test_import_refuses_a_non_xlsx_file(as_user, org_tree, commune_a_staff):
    upload = io.BytesIO(b"hello")
    upload.name = "danh-sach.csv"
    page = html(
        as_user(commune_a_staff).post(
            reverse("members:member_import"), {"organization": org_tree.cell_a.pk, "file": upload}
        )
    )
    assert "Chỉ nhận tệp Excel .xlsx" in page


def test_import_page_is_404_for_a_leader(as_user, province_leader):
    assert as_user(province_leader).get(reverse("members:member_import")).status_code == 404


def test_badges_page_lists_candidates(as_user, org_tree, province_staff):
    old = register(org_tree.cell_a, "Vũ Văn Lão", official=True)
    Member.objects.filter(pk=old.pk).update(
        admission_decision_date=D(1985, 1, 1), ceremony_date=D(1985, 2, 3)
    )
    page = html(as_user(province_staff).get(reverse("members:badge_list")))
    assert "Đề nghị Huy hiệu Đảng" in page


def test_access_log_is_for_system_admins_only(as_user, client, system_admin, commune_a_staff, people):
    as_user(commune_a_staff).post(reverse("members:member_reveal", args=[people["an"].pk]))
    assert client.get(reverse("members:access_log")).status_code == 404
    client.logout()
    page = html(as_user(system_admin).get(reverse("members:access_log")))
    assert "Xem trường nhạy cảm" in page and "Commune A Staff" in page


def test_destination_search_keeps_the_ticked_choice(client, org_tree, commune_a_staff):
    client.force_login(commune_a_staff)
    page = client.get(
        "/dang-vien/chuyen-sinh-hoat/noi-den/", {"q": "khu pho 1", "to_org": str(org_tree.cell_b.pk)}
    )
    assert page.status_code == 200
    inputs = re.findall(r"<input[^>]*>", page.content.decode())
    ticked = [i for i in inputs if " checked" in i]
    assert len(ticked) == 1 and f'value="{org_tree.cell_b.pk}"' in ticked[0]
