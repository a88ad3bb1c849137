"""Accounts pages: login and lockout, role administration, API tokens."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from conftest import PASSWORD
from dangvu.accounts.models import ApiToken, OrgRole, Role
from dangvu.accounts.services import api_token_authenticate, api_token_create
from dangvu.accounts.tests.factories import OrgRoleFactory, UserFactory

LOGIN = reverse("accounts:login")
ROLES = reverse("accounts:role_list")
GRANT = reverse("accounts:role_grant")
TOKENS = reverse("accounts:token_list")
WRONG_LOGIN = "Tên đăng nhập hoặc mật khẩu không đúng."


def revoke_url(grant: OrgRole) -> str:
    return reverse("accounts:role_revoke", args=[grant.pk])


def text(response) -> str:
    return response.content.decode()


def holders(response) -> set[str]:
    """Usernames of the roles listed on a role-list page."""
    return {grant.user.username for grant in response.context["page"].object_list}


# --- Login, logout and lockout ------------------------------------------------------------------


def test_login_page_is_in_vietnamese(client, db):
    response = client.get(LOGIN)

    assert response.status_code == 200
    body = text(response)
    assert '<html lang="vi">' in body
    assert "Tên đăng nhập" in body
    assert "Mật khẩu" in body
    assert ">Đăng nhập<" in body or "Đăng nhập</button>" in body or "Đăng nhập\n" in body


def test_wrong_password_shows_vietnamese_message(client, member):
    response = client.post(LOGIN, {"username": "member", "password": "sai-mat-khau"})

    assert response.status_code == 200
    assert WRONG_LOGIN in text(response)
    assert "_auth_user_id" not in client.session


def test_correct_password_logs_in_and_goes_to_the_tree(client, member):
    response = client.post(LOGIN, {"username": "member", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("organizations:tree")
    assert client.session["_auth_user_id"] == str(member.pk)


def test_five_wrong_passwords_lock_the_account_for_a_while(client, member):
    for _ in range(4):
        response = client.post(LOGIN, {"username": "member", "password": "sai-mat-khau"})
        assert response.status_code == 200

    # The fifth failure locks: 429 and the Vietnamese explanation.
    response = client.post(LOGIN, {"username": "member", "password": "sai-mat-khau"})
    assert response.status_code == 429
    assert "Tạm khóa đăng nhập" in text(response)
    assert "15 phút" in text(response)

    # Even the right password is refused while locked.
    response = client.post(LOGIN, {"username": "member", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post_and_ends_the_session(client, member):
    client.force_login(member)

    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("url", [ROLES, GRANT, TOKENS])
def test_anonymous_users_are_sent_to_login(client, db, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN}?next=")


# --- The frame ------------------------------------------------------------------------------------


def test_menu_shows_role_administration_only_to_managers(client, province_staff, member):
    client.force_login(province_staff)
    assert "Phân quyền" in text(client.get(TOKENS))

    client.force_login(member)
    body = text(client.get(TOKENS))
    assert "Phân quyền" not in body
    assert "Mã truy cập API" in body
    assert "Đăng xuất" in body


# --- Role list ------------------------------------------------------------------------------------


@pytest.fixture
def roles_in_tree(org_tree, cell_secretary, commune_a_staff, commune_b_staff):
    """Some roles across both communes, besides the personas' own."""
    school_leader = UserFactory(username="school_leader", full_name="Trần Thị Hồng")
    ward_member = UserFactory(username="ward_member", full_name="Lê Văn Bắc")
    return {
        "school": OrgRoleFactory(user=school_leader, organization=org_tree.school, role=Role.LEADER),
        "ward": OrgRoleFactory(user=ward_member, organization=org_tree.cell_b, role=Role.MEMBER),
    }


def test_province_staff_sees_roles_in_the_whole_province(client, province_staff, roles_in_tree):
    client.force_login(province_staff)

    response = client.get(ROLES)

    assert holders(response) == {
        "province_staff",
        "commune_a_staff",
        "commune_b_staff",
        "cell_secretary",
        "school_leader",
        "ward_member",
    }
    assert "Trần Thị Hồng" in text(response)


def test_commune_staff_sees_only_roles_in_their_commune(client, commune_a_staff, roles_in_tree):
    client.force_login(commune_a_staff)

    response = client.get(ROLES)

    assert response.status_code == 200
    assert holders(response) == {"commune_a_staff", "cell_secretary", "school_leader"}
    assert "Commune B Staff" not in text(response)


def test_role_list_filters_by_organization_role_and_name(client, province_staff, roles_in_tree):
    client.force_login(province_staff)

    assert holders(client.get(ROLES, {"to_chuc": "bac son"})) == {"commune_b_staff"}  # no diacritics needed
    assert holders(client.get(ROLES, {"to_chuc": "t99-bs-1"})) == {"ward_member"}  # or the code
    assert holders(client.get(ROLES, {"role": Role.LEADER})) == {"school_leader"}
    assert holders(client.get(ROLES, {"q": "Hồng"})) == {"school_leader"}
    assert holders(client.get(ROLES, {"q": "ward"})) == {"ward_member"}
    assert "Không có vai trò nào khớp điều kiện lọc." in text(client.get(ROLES, {"q": "không ai"}))


def test_role_list_htmx_request_gets_only_the_table(client, province_staff, roles_in_tree):
    client.force_login(province_staff)

    response = client.get(ROLES, {"role": Role.MEMBER}, headers={"HX-Request": "true"})

    body = text(response)
    assert body.lstrip().startswith('<div id="role-table"')
    assert "<html" not in body
    assert holders(response) == {"ward_member"}


def test_role_list_pages_with_a_bounded_number_of_queries(
    client, province_staff, org_tree, django_assert_max_num_queries
):
    for i in range(60):
        OrgRoleFactory(user=UserFactory(), organization=org_tree.cell_a, role=Role.MEMBER, reason=f"QĐ {i}")
    client.force_login(province_staff)

    with django_assert_max_num_queries(8):
        first = client.get(ROLES, {"role": Role.MEMBER})
    assert len(first.context["page"].object_list) == 50
    assert "1–50 / 60" in text(first)
    assert 'href="?role=member&amp;page=2"' in text(first)  # paging keeps the filter

    second = client.get(ROLES, {"role": Role.MEMBER, "page": 2})
    assert len(second.context["page"].object_list) == 10


@pytest.mark.parametrize("persona", ["province_leader", "cell_secretary", "member", "outsider"])
def test_role_pages_do_not_exist_for_non_managers(client, request, persona, commune_b_staff):
    client.force_login(request.getfixturevalue(persona))
    grant = commune_b_staff.org_roles.get()

    response = client.get(ROLES)
    assert response.status_code == 404
    assert "Không tìm thấy trang" in text(response)
    assert client.get(GRANT).status_code == 404
    assert client.post(GRANT, {}).status_code == 404
    assert client.get(revoke_url(grant)).status_code == 404
    assert client.post(revoke_url(grant), {"revoked_on": "01/01/2026", "reason": "x"}).status_code == 404
    assert grant.revoked_on is None


# --- Granting -------------------------------------------------------------------------------------


def grant_data(org, user="outsider", role=Role.CELL_SECRETARY, **extra):
    return {
        "user": user,
        "organization": org.pk,
        "role": role,
        "granted_on": "01/07/2025",
        "reason": "Quyết định số 12-QĐ/ĐU",
        **extra,
    }


def test_staff_grants_a_role_in_their_subtree(client, commune_a_staff, outsider, org_tree):
    client.force_login(commune_a_staff)

    response = client.post(GRANT, grant_data(org_tree.cell_a))

    assert response.status_code == 302
    assert response["Location"] == ROLES
    grant = OrgRole.objects.get(user=outsider)
    assert (grant.organization, grant.role, grant.granted_on) == (
        org_tree.cell_a,
        Role.CELL_SECRETARY,
        datetime.date(2025, 7, 1),
    )
    assert grant.granted_by == commune_a_staff
    assert grant.reason == "Quyết định số 12-QĐ/ĐU"
    assert "Đã giao vai trò" in text(client.get(ROLES))


def test_granting_outside_scope_is_refused_and_writes_nothing(client, commune_a_staff, outsider, org_tree):
    client.force_login(commune_a_staff)
    before = OrgRole.objects.count()

    response = client.post(GRANT, grant_data(org_tree.commune_b))

    assert response.status_code == 200
    assert "Hãy chọn một tổ chức trong phạm vi bạn quản lý." in text(response)
    assert OrgRole.objects.count() == before


def test_commune_staff_cannot_grant_system_admin(client, commune_a_staff, outsider, org_tree):
    client.force_login(commune_a_staff)
    form_page = text(client.get(GRANT))
    assert 'value="system_admin"' not in form_page

    response = client.post(GRANT, grant_data(org_tree.commune_a, role=Role.SYSTEM_ADMIN))

    assert response.status_code == 200
    assert "Bạn không được giao vai trò này." in text(response)
    assert not OrgRole.objects.filter(user=outsider).exists()


def test_system_admin_may_grant_system_admin(client, system_admin, outsider, org_tree):
    client.force_login(system_admin)

    response = client.post(GRANT, grant_data(org_tree.central, role=Role.SYSTEM_ADMIN))

    assert response.status_code == 302
    assert OrgRole.objects.filter(user=outsider, role=Role.SYSTEM_ADMIN).exists()


def test_service_refusal_is_shown_as_a_form_error(client, commune_a_staff, cell_secretary, org_tree):
    """The service's ValidationError (here: the same role twice) becomes a message, not a 500."""
    client.force_login(commune_a_staff)

    response = client.post(GRANT, grant_data(org_tree.cell_a, user="cell_secretary"))

    assert response.status_code == 200
    assert "đã có vai trò «Bí thư, cấp ủy viên chi bộ»" in text(response)
    assert OrgRole.objects.filter(user=cell_secretary).count() == 1


def test_grant_form_reports_unknown_user_and_bad_date(client, commune_a_staff, org_tree):
    client.force_login(commune_a_staff)

    response = client.post(GRANT, grant_data(org_tree.cell_a, user="khong_co_ai", granted_on="31/02/2025"))

    body = text(response)
    assert "Không có tài khoản đang hoạt động nào có tên đăng nhập «khong_co_ai»." in body
    assert "Ngày không hợp lệ; hãy nhập theo dạng dd/mm/yyyy." in body


def test_grant_form_offers_only_organizations_the_user_manages(client, commune_a_staff, org_tree):
    client.force_login(commune_a_staff)

    found = text(client.get(GRANT, {"to_chuc_q": "thon dong"}, headers={"HX-Request": "true"}))
    assert found.lstrip().startswith('<div id="org-choices"')
    assert f'value="{org_tree.cell_a.pk}"' in found

    other_commune = text(client.get(GRANT, {"to_chuc_q": "khu phố"}, headers={"HX-Request": "true"}))
    assert f'value="{org_tree.cell_b.pk}"' not in other_commune
    assert "Không có tổ chức nào trong phạm vi bạn quản lý" in other_commune


def test_user_suggestions_match_username_or_name(client, commune_a_staff, roles_in_tree):
    client.force_login(commune_a_staff)

    body = text(client.get(reverse("accounts:user_suggest"), {"user": "Hồng"}))

    assert '<option value="school_leader">Trần Thị Hồng</option>' in body
    assert "ward_member" not in body


# --- Revoking -------------------------------------------------------------------------------------


def test_revoke_keeps_the_row_with_its_end_date(client, commune_a_staff, cell_secretary):
    grant = cell_secretary.org_roles.get()
    client.force_login(commune_a_staff)

    response = client.post(revoke_url(grant), {"revoked_on": "15/01/2026", "reason": "Chuyển công tác"})

    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_on == datetime.date(2026, 1, 15)
    assert grant.revoked_by == commune_a_staff
    assert grant.history.first().history_change_reason == "Chuyển công tác"
    assert "cell_secretary" not in holders(client.get(ROLES))
    with_revoked = client.get(ROLES, {"revoked": "on"})
    assert "cell_secretary" in holders(with_revoked)
    assert "Thu hồi từ 15/01/2026" in text(with_revoked)


def test_revoke_before_the_grant_date_is_refused(client, commune_a_staff, cell_secretary):
    grant = cell_secretary.org_roles.get()
    client.force_login(commune_a_staff)

    response = client.post(revoke_url(grant), {"revoked_on": "01/01/2019", "reason": "Nhầm"})

    assert response.status_code == 200
    assert "Ngày thu hồi trước ngày giao." in text(response)
    grant.refresh_from_db()
    assert grant.revoked_on is None


def test_staff_cannot_revoke_their_own_role(client, commune_a_staff):
    grant = commune_a_staff.org_roles.get()
    client.force_login(commune_a_staff)

    assert f'href="{revoke_url(grant)}"' not in text(client.get(ROLES))
    response = client.post(revoke_url(grant), {"revoked_on": "15/01/2026", "reason": "Tự thu hồi"})

    assert response.status_code == 200
    assert "Bạn không thể tự thu hồi" in text(response)
    grant.refresh_from_db()
    assert grant.revoked_on is None


def test_revoking_a_role_outside_scope_answers_404(client, commune_a_staff, commune_b_staff):
    grant = commune_b_staff.org_roles.get()
    client.force_login(commune_a_staff)

    assert client.get(revoke_url(grant)).status_code == 404
    assert client.post(revoke_url(grant), {"revoked_on": "15/01/2026", "reason": "x"}).status_code == 404
    grant.refresh_from_db()
    assert grant.revoked_on is None


# --- API tokens -----------------------------------------------------------------------------------


def test_token_is_created_and_shown_only_once(client, member):
    client.force_login(member)

    response = client.post(TOKENS, {"name": "Báo cáo tự động"})

    assert response.status_code == 200
    token = ApiToken.objects.get(user=member)
    raw = response.context["new_token"]
    assert raw in text(response)
    assert response["Cache-Control"] == "no-store"
    assert api_token_authenticate(raw) == member
    again = text(client.get(TOKENS))
    assert raw not in again
    assert f"{token.prefix}…" in again
    assert "Báo cáo tự động" in again


def test_token_needs_a_name(client, member):
    client.force_login(member)

    response = client.post(TOKENS, {"name": " "})

    assert "Hãy đặt tên gợi nhớ cho mã." in text(response)
    assert not ApiToken.objects.exists()


def test_token_list_shows_only_own_tokens(client, member, outsider):
    api_token_create(user=outsider, name="Của người khác")
    client.force_login(member)

    assert "Của người khác" not in text(client.get(TOKENS))


def test_token_revoke_stops_the_token(client, member):
    token, raw = api_token_create(user=member, name="Cũ")
    client.force_login(member)

    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api_token_authenticate(raw) is None
    assert "Đã thu hồi mã" in text(client.get(TOKENS))


def test_revoking_someone_elses_token_answers_404(client, member, outsider):
    token, raw = api_token_create(user=outsider, name="Của người khác")
    client.force_login(member)

    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    assert api_token_authenticate(raw) == outsider


# --- Admin ----------------------------------------------------------------------------------------


def test_admin_is_for_system_administrators_only(client, province_staff):
    province_staff.is_staff = True
    province_staff.save()
    client.force_login(province_staff)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize(
    "model",
    ["accounts/user", "accounts/orgrole", "accounts/apitoken", "core/legalbasis", "core/ruleparameter"],
)
def test_admin_lists_open_for_a_superuser(client, system_admin, model):
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(superuser)

    response = client.get(f"/quan-tri/{model}/")

    assert response.status_code == 200
    assert "Quản trị hệ thống Đảng vụ" in text(response)


def test_admin_revokes_roles_through_the_service(client, commune_b_staff):
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    grant = commune_b_staff.org_roles.get()
    client.force_login(superuser)

    response = client.post(
        "/quan-tri/accounts/orgrole/", {"action": "revoke_selected", "_selected_action": [grant.pk]}
    )

    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_on is not None
    assert grant.revoked_by == superuser


def test_a_user_changes_their_own_password(client, province_staff):
    client.force_login(province_staff)
    page = client.get("/tai-khoan/doi-mat-khau/")
    assert "Mật khẩu cũ" in page.content.decode()
    bad = client.post(
        "/tai-khoan/doi-mat-khau/", {"old_password": "sai", "new_password1": "x", "new_password2": "x"}
    )
    text = bad.content.decode()
    assert bad.status_code == 200 and "Mật khẩu cũ không chính xác" in text
    assert "Mật khẩu quá ngắn: cần ít nhất 10 ký tự." in text
    ok = client.post(
        "/tai-khoan/doi-mat-khau/",
        {
            "old_password": "mat-khau-thu-nghiem",
            "new_password1": "Chi-bo-thon-Dong-2026",
            "new_password2": "Chi-bo-thon-Dong-2026",
        },
    )
    assert ok.status_code == 302
    province_staff.refresh_from_db()
    assert province_staff.check_password("Chi-bo-thon-Dong-2026")
