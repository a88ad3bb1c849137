"""The organization pages, as each persona sees them: scoping (404), actions, forms and htmx fragments."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from dangvu.organizations import services
from dangvu.organizations.models import Kind, Organization, OrganizationEvent
from dangvu.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
ORG_PAGES = ["detail", "children", "create", "update", "move", "dissolve"]
FORM_PAGES = ["create", "update", "move", "dissolve"]


def page(name: str, org: Organization) -> str:
    return reverse(f"organizations:{name}", args=[org.pk])


def text(response) -> str:
    """The response as a person reads it: tags dropped, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", "", response.content.decode()).split())


def tree_url(**params: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("organizations:tree") + (f"?{query}" if query else "")


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


# --- Who may see what ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ORG_PAGES)
def test_anonymous_is_sent_to_login_from_every_page(client, org_tree, name):
    for url in (tree_url(), page(name, org_tree.commune_a)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_province_staff_tree_starts_at_the_province(as_user, org_tree, province_staff):
    response = as_user(province_staff).get(tree_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "Đảng bộ tỉnh Thử Nghiệm" in html
    assert "2 trực thuộc" in text(response)
    assert "Đảng Cộng sản Việt Nam" not in html  # above the user's scope
    assert page("children", org_tree.province) in html  # the lazy-expand link


def test_children_fragment_lists_the_children_with_their_child_counts(as_user, org_tree, province_staff):
    response = as_user(province_staff).get(page("children", org_tree.commune_a), **HTMX)

    html = response.content.decode()
    assert "<html" not in html
    assert "Chi bộ thôn Đông" in html and "Đảng bộ Trường THPT An Bình" in html
    assert text(response).count("1 trực thuộc") == 2
    assert "Chi bộ khu phố 1" not in html


def test_children_page_without_htmx_is_a_whole_page(as_user, org_tree, province_staff):
    response = as_user(province_staff).get(page("children", org_tree.commune_a))

    assert "<html" in response.content.decode()
    assert "Chi bộ thôn Đông" in response.content.decode()


def test_detail_shows_the_organization_its_children_counts_and_history(as_user, org_tree, province_staff):
    response = as_user(province_staff).get(page("detail", org_tree.commune_a))

    html = response.content.decode()
    assert response.status_code == 200
    assert "T99-AB" in html and "Đảng bộ xã, phường, đặc khu" in html
    assert "Phường Ba Đình" in html and "00004" in html  # official administrative unit, name and code
    assert "01/07/2025" in html
    # Children with what lies under each, and the subtree totals by kind.
    assert "1 tổ đảng" in html and "1 chi bộ" in html
    assert response.context["subtree_counts"] == [(1, "đảng bộ cơ sở"), (2, "chi bộ"), (1, "tổ đảng")]
    # Breadcrumbs: the province is visible, the central committee above it is not.
    assert [a.code for a in response.context["ancestors"]] == ["T99"]
    assert "Đảng Cộng sản Việt Nam" not in html
    # History and the action buttons.
    assert "Thành lập" in html
    for label in ("Thêm tổ chức trực thuộc", "Sửa", "Chuyển trực thuộc", "Giải thể"):
        assert label in html


@pytest.mark.parametrize("name", ORG_PAGES)
def test_commune_a_staff_gets_404_for_commune_b(as_user, org_tree, commune_a_staff, name):
    client = as_user(commune_a_staff)

    assert client.get(page(name, org_tree.commune_b)).status_code == 404
    assert client.get(page(name, org_tree.cell_b), **HTMX).status_code == 404


@pytest.mark.parametrize("name", FORM_PAGES)
def test_commune_a_staff_cannot_post_to_commune_b(as_user, org_tree, commune_a_staff, name):
    data = {"kind": Kind.CELL, "code": "X1", "name": "Chi bộ lạ", "reason": "Thử", "confirm": "on",
            "new_parent": org_tree.commune_a.pk}  # fmt: skip

    response = as_user(commune_a_staff).post(page(name, org_tree.cell_b), data)

    assert response.status_code == 404
    org_tree.cell_b.refresh_from_db()
    assert (
        org_tree.cell_b.dissolved_on is None
        and Organization.objects.get_parent(org_tree.cell_b) == org_tree.commune_b
    )
    assert not Organization.objects.filter(code="X1").exists()


def test_commune_a_staff_tree_starts_at_commune_a(as_user, org_tree, commune_a_staff):
    html = as_user(commune_a_staff).get(tree_url()).content.decode()

    assert "Đảng bộ xã An Bình" in html
    assert "Đảng bộ tỉnh Thử Nghiệm" not in html and "Đảng bộ phường Bắc Sơn" not in html


@pytest.mark.parametrize("name", ORG_PAGES)
def test_outsider_gets_404_everywhere_and_an_empty_tree(as_user, org_tree, outsider, name):
    client = as_user(outsider)

    assert client.get(page(name, org_tree.province)).status_code == 404
    response = client.get(tree_url())
    assert response.status_code == 200
    assert response.context["nodes"] == []
    assert "chưa được giao vai trò" in response.content.decode()


def test_leader_sees_the_detail_without_action_buttons(as_user, org_tree, province_leader):
    response = as_user(province_leader).get(page("detail", org_tree.commune_a))

    html = response.content.decode()
    assert response.status_code == 200 and "Đảng bộ xã An Bình" in html
    for name in FORM_PAGES:
        assert page(name, org_tree.commune_a) not in html
    assert "Thêm tổ chức trực thuộc" not in html


@pytest.mark.parametrize("name", FORM_PAGES)
def test_leader_gets_404_on_forms(as_user, org_tree, province_leader, name):
    client = as_user(province_leader)

    assert client.get(page(name, org_tree.cell_a)).status_code == 404
    assert client.post(page(name, org_tree.cell_a), {"reason": "x", "confirm": "on"}).status_code == 404


def test_member_sees_own_cell_but_not_what_is_under_it(as_user, org_tree, member):
    client = as_user(member)

    assert client.get(page("detail", org_tree.cell_a)).status_code == 200
    assert client.get(page("detail", org_tree.group_a)).status_code == 404
    assert client.get(page("create", org_tree.cell_a)).status_code == 404


# --- Search and dissolved organizations ------------------------------------------------------------


def test_search_without_diacritics_finds_and_shows_the_ancestor_path(as_user, org_tree, province_staff):
    response = as_user(province_staff).get(tree_url(q="xa an binh"), **HTMX)

    html = response.content.decode()
    assert "<html" not in html  # the search-results fragment only
    assert html.count('class="list-group-item') == 1
    assert "Đảng bộ xã An Bình" in html
    assert "Đảng bộ tỉnh Thử Nghiệm" in html  # its path in the tree
    assert page("detail", org_tree.commune_a) in html  # jumps to the organization


def test_history_restore_gets_the_whole_page(as_user, org_tree, province_staff):
    headers = {**HTMX, "HTTP_HX_HISTORY_RESTORE_REQUEST": "true"}

    response = as_user(province_staff).get(tree_url(q="an binh"), **headers)

    assert "<html" in response.content.decode()


def test_search_by_code_and_in_full_page(as_user, org_tree, province_staff):
    response = as_user(province_staff).get(tree_url(q="t99-bs-1"))

    assert "<html" in response.content.decode()
    assert [o.code for o in response.context["results"]] == ["T99-BS-1"]


def test_search_is_limited_to_the_scope(as_user, org_tree, commune_b_staff):
    response = as_user(commune_b_staff).get(tree_url(q="an binh"))

    assert response.context["results"] == []
    assert "Không tìm thấy" in response.content.decode()


def test_dissolved_organizations_are_hidden_unless_asked_for(as_user, org_tree, province_staff):
    services.organization_dissolve(
        actor=province_staff, org=org_tree.group_a, effective_on=datetime.date(2025, 9, 1), reason="Sáp nhập"
    )
    client = as_user(province_staff)

    hidden = client.get(page("children", org_tree.cell_a), **HTMX).content.decode()
    shown = client.get(page("children", org_tree.cell_a) + "?giai_the=on", **HTMX).content.decode()
    assert "Tổ đảng số 1" not in hidden
    assert "Tổ đảng số 1" in shown and "Đã giải thể 01/09/2025" in shown
    assert client.get(tree_url(q="to dang so 1")).context["results"] == []
    assert len(client.get(tree_url(q="to dang so 1", giai_the="on")).context["results"]) == 1


# --- Create ------------------------------------------------------------------------------------------


def test_create_offers_only_the_kinds_the_rule_allows_under_the_parent(as_user, org_tree, province_staff):
    response = as_user(province_staff).get(page("create", org_tree.commune_a))

    kinds = [value for value, _ in response.context["form"].fields["kind"].choices if value]
    assert kinds == [Kind.BASE_COMMITTEE, Kind.BASE_CELL, Kind.CELL]
    assert 'value="00004"' in response.content.decode()  # wards of the commune's province offered


def test_create_with_a_rule_violation_names_the_regulation_and_creates_nothing(
    as_user, org_tree, province_staff
):
    before = Organization.objects.count()
    data = {"kind": Kind.COMMUNE, "code": "T99-XM", "name": "Đảng bộ xã Mới", "founded_on": "01/01/2024"}

    response = as_user(province_staff).post(page("create", org_tree.province), data)

    assert response.status_code == 200
    errors = response.context["form"].errors["kind"]
    assert "không được trực thuộc" in errors[0] and "Điều lệ Đảng 2011" in errors[0]
    assert "Điều lệ Đảng 2011" in response.content.decode()
    assert Organization.objects.count() == before
    assert not OrganizationEvent.objects.filter(new_name="Đảng bộ xã Mới").exists()


def test_create_shows_field_errors_in_vietnamese(as_user, org_tree, province_staff):
    data = {"kind": Kind.CELL, "code": "T99-AB-D", "name": "Chi bộ trùng mã", "founded_on": "31/02/2025"}

    response = as_user(province_staff).post(page("create", org_tree.commune_a), data)

    assert "dd/mm/yyyy" in response.context["form"].errors["founded_on"][0]
    response = as_user(province_staff).post(
        page("create", org_tree.commune_a), {**data, "founded_on": "1/1/1900"}
    )
    assert "03/02/1930" in response.context["form"].errors["founded_on"][0]  # no rule that old: no 500
    response = as_user(province_staff).post(page("create", org_tree.commune_a), {**data, "founded_on": ""})
    assert "«Chi bộ thôn Đông»" in response.context["form"].errors["code"][0]
    assert 'class="form-control is-invalid"' in response.content.decode()


def test_create_founds_the_organization_and_records_the_decision(as_user, org_tree, province_staff):
    data = {
        "kind": Kind.CELL,
        "code": "t99-ab-tay",
        "name": "Chi bộ thôn Tây",
        "admin_unit_code": "00004",
        "founded_on": "15/08/2025",
        "decision_ref": "12-QĐ/ĐU",
        "decision_date": "10/08/2025",
        "reason": "Tách từ chi bộ thôn Đông",
    }

    response = as_user(province_staff).post(page("create", org_tree.commune_a), data, follow=True)

    org = Organization.objects.get(code="T99-AB-TAY")
    assert response.redirect_chain == [(page("detail", org), 302)]
    assert Organization.objects.get_parent(org) == org_tree.commune_a
    assert org.founded_on == datetime.date(2025, 8, 15)
    event = org.events.get()
    assert (event.decision_ref, event.decision_date) == ("12-QĐ/ĐU", datetime.date(2025, 8, 10))
    assert event.actor == province_staff
    assert "Đã thành lập «Chi bộ thôn Tây»" in response.content.decode()


# --- Update, move, dissolve -----------------------------------------------------------------------


def test_update_renames_with_a_dated_event(as_user, org_tree, commune_a_staff):
    data = {"code": "T99-AB-D", "name": "Chi bộ thôn Đông Hải", "founded_on": "01/07/2025",
            "effective_on": "05/09/2025", "reason": "Đổi tên thôn"}  # fmt: skip

    response = as_user(commune_a_staff).post(page("update", org_tree.cell_a), data)

    assert response.status_code == 302
    org_tree.cell_a.refresh_from_db()
    assert org_tree.cell_a.name == "Chi bộ thôn Đông Hải"
    event = org_tree.cell_a.events.get(kind="renamed")
    assert (event.old_name, event.effective_on) == ("Chi bộ thôn Đông", datetime.date(2025, 9, 5))


def test_update_without_changes_records_nothing(as_user, org_tree, commune_a_staff):
    data = {"code": "T99-AB-D", "name": "Chi bộ thôn Đông", "founded_on": "01/07/2025"}

    response = as_user(commune_a_staff).post(page("update", org_tree.cell_a), data, follow=True)

    assert "Không có thông tin nào thay đổi" in response.content.decode()
    assert list(org_tree.cell_a.events.values_list("kind", flat=True)) == ["created"]


def test_move_offers_only_manageable_parents_outside_the_subtree(as_user, org_tree, commune_a_staff):
    client = as_user(commune_a_staff)

    targets = client.get(page("move", org_tree.cell_a)).context["targets"]
    assert [t.code for t in targets] == ["T99-AB-THPT"]  # not its parent, not commune B (out of scope)
    found = client.get(page("move", org_tree.cell_a) + "?q=truong", **HTMX)
    assert "<html" not in found.content.decode() and "Đảng bộ Trường THPT An Bình" in found.content.decode()


def test_move_to_a_parent_out_of_scope_is_refused(as_user, org_tree, commune_a_staff):
    data = {"new_parent": org_tree.commune_b.pk, "reason": "Thử"}

    response = as_user(commune_a_staff).post(page("move", org_tree.cell_a), data)

    assert response.status_code == 200
    assert "Không thể chuyển đến tổ chức này" in response.context["form"].errors["new_parent"][0]
    assert Organization.objects.get_parent(org_tree.cell_a) == org_tree.commune_a


def test_move_writes_the_event_and_the_org_appears_under_the_new_parent(as_user, org_tree, province_staff):
    client = as_user(province_staff)
    data = {"new_parent": org_tree.commune_b.pk, "effective_on": "01/09/2025",
            "decision_ref": "45-QĐ/TU", "reason": "Sắp xếp địa giới"}  # fmt: skip

    response = client.post(page("move", org_tree.cell_a), data)

    assert response.status_code == 302 and response.url == page("detail", org_tree.cell_a)
    cell = Organization.objects.get(pk=org_tree.cell_a.pk)
    assert Organization.objects.get_parent(cell) == org_tree.commune_b
    event = cell.events.get(kind="moved")
    assert (event.old_parent, event.new_parent) == (org_tree.commune_a, org_tree.commune_b)
    assert event.effective_on == datetime.date(2025, 9, 1) and event.decision_ref == "45-QĐ/TU"
    under_b = client.get(page("children", org_tree.commune_b), **HTMX).content.decode()
    assert "Chi bộ thôn Đông" in under_b
    detail = client.get(page("detail", cell)).content.decode()
    assert "Sắp xếp địa giới" in detail and "45-QĐ/TU" in detail


def test_dissolve_after_confirmation(as_user, org_tree, province_staff):
    client = as_user(province_staff)
    url = page("dissolve", org_tree.group_a)

    unconfirmed = client.post(url, {"effective_on": "01/10/2025", "reason": "Sáp nhập tổ"})
    assert "xác nhận" in unconfirmed.context["form"].errors["confirm"][0]
    response = client.post(
        url, {"effective_on": "01/10/2025", "reason": "Sáp nhập tổ", "confirm": "on"}, follow=True
    )

    org_tree.group_a.refresh_from_db()
    assert org_tree.group_a.dissolved_on == datetime.date(2025, 10, 1)
    assert org_tree.group_a.events.filter(kind="dissolved").exists()
    assert "Đã giải thể «Tổ đảng số 1» từ ngày 01/10/2025" in response.content.decode()


def test_dissolve_with_active_children_is_refused_at_the_top_of_the_form(as_user, org_tree, province_staff):
    data = {"reason": "Sáp nhập", "confirm": "on"}

    response = as_user(province_staff).post(page("dissolve", org_tree.cell_a), data)

    assert "còn 1 tổ chức trực thuộc" in response.context["form"].non_field_errors()[0]
    org_tree.cell_a.refresh_from_db()
    assert org_tree.cell_a.dissolved_on is None


# --- Query budgets -----------------------------------------------------------------------------------


@pytest.fixture
def big_commune(org_tree):
    for i in range(15):
        cell = OrganizationFactory(
            parent=org_tree.commune_a, kind=Kind.CELL, founded_on=datetime.date(2025, 7, 1)
        )
        OrganizationFactory(parent=cell, name=f"Tổ {i}", kind=Kind.PARTY_GROUP, founded_on=cell.founded_on)
    return org_tree.commune_a


def test_tree_and_children_query_budget(as_user, big_commune, province_staff, django_assert_max_num_queries):
    client = as_user(province_staff)
    # session, user, scope paths, roots, their child counts; the frame's menu asks for role rights
    with django_assert_max_num_queries(6):
        client.get(tree_url())
    # session, user, scope paths, the parent, its children, their child counts
    with django_assert_max_num_queries(6):
        client.get(page("children", big_commune), **HTMX)


def test_detail_query_budget(as_user, big_commune, province_staff, django_assert_max_num_queries):
    client = as_user(province_staff)
    # session, user, scope, org, breadcrumbs, children, their counts, subtree counts, events,
    # managed paths, structure rule
    with django_assert_max_num_queries(11):
        response = client.get(page("detail", big_commune))
    assert len(response.context["children"]) == 17
