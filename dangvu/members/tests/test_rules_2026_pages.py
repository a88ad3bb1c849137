"""The pages of the rules added for the leftovers of issue 3: the over-60 consent and the ceremony
deadline on the admit form, readmission with a past conviction, early badges, extension of a
temporary stay from the inbox (both sides; outsiders get 404), and the demo member account."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from dangvu.accounts.demo import demo_accounts_ensure
from dangvu.accounts.models import User
from dangvu.members import services
from dangvu.members.models import Member, MemberEvent, Transfer

from .factories import MemberFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def admit_post(org, **fields):
    return {
        "organization": org.pk,
        "full_name": "Hoàng Văn Lão",
        "gender": "male",
        "birth_date": "01/03/1966",
        "ethnicity": "01",
        "religion": "none",
        "qualification": "none",
        "theory_level": "none",
        "admission_decision_date": "02/03/2026",
        "ceremony_date": "20/03/2026",
        "decision_ref": "125-QĐ/ĐU",
        **fields,
    }


def test_admit_form_offers_the_special_cases(as_user, commune_a_staff):
    page = html(as_user(commune_a_staff).get(reverse("members:member_admit")))
    assert "Ngày chi bộ nhận quyết định" in page
    assert "Số văn bản đồng ý kết nạp người trên 60 tuổi" in page
    assert "Ý kiến đồng ý tổ chức lễ kết nạp muộn" in page


def test_over_60_is_refused_without_consent_and_admitted_with_it(as_user, org_tree, commune_a_staff):
    client = as_user(commune_a_staff)
    page = html(client.post(reverse("members:member_admit"), admit_post(org_tree.cell_a)))
    assert "Quá 60 tuổi" in page
    assert not Member.objects.filter(full_name="Hoàng Văn Lão").exists()

    page = html(
        client.post(
            reverse("members:member_admit"),
            admit_post(org_tree.cell_a, over_age_consent_ref="125-CV/TU", over_age_consent_date="03/03/2026"),
        )
    )
    assert "phải có trước khi quyết định kết nạp ngày 02/03/2026" in page

    response = client.post(
        reverse("members:member_admit"),
        admit_post(org_tree.cell_a, over_age_consent_ref="125-CV/TU", over_age_consent_date="27/02/2026"),
    )
    lao = Member.objects.get(full_name="Hoàng Văn Lão")
    assert response.status_code == 302
    detail = html(client.get(reverse("members:member_detail", args=[lao.pk])))
    assert "Văn bản 125-CV/TU ngày 27/02/2026" in detail
    assert "13/04/2026" in detail  # the ceremony deadline, dd/mm/yyyy


def test_late_ceremony_needs_the_higher_committee_consent_and_shows_late(as_user, org_tree, commune_a_staff):
    client = as_user(commune_a_staff)
    fields = {"birth_date": "01/03/1990", "ceremony_date": "14/04/2026"}
    page = html(client.post(reverse("members:member_admit"), admit_post(org_tree.cell_a, **fields)))
    assert "chậm nhất ngày 13/04/2026" in page and "Mục 4.1" in page

    consent = "Công văn 88-CV/ĐU ngày 10/4/2026"
    response = client.post(
        reverse("members:member_admit"), admit_post(org_tree.cell_a, ceremony_late_consent=consent, **fields)
    )
    assert response.status_code == 302
    detail = html(client.get(response.url))
    assert "Tổ chức muộn" in detail and consent in detail


def test_readmission_form_records_the_expunged_conviction(as_user, org_tree, commune_a_staff):
    m = MemberFactory(organization=org_tree.cell_a, full_name="Phạm Văn Lại", birth_date=D(1980, 1, 1))
    services.member_exit(
        actor=commune_a_staff, member=m, kind="removed", effective_on=D(2015, 1, 15), reason="Án"
    )
    client = as_user(commune_a_staff)
    url = reverse("members:member_action", args=[m.pk, "ket-nap-lai"])
    assert "Ngày được xóa án tích" in html(client.get(url))
    post = {
        "organization": org_tree.cell_a.pk,
        "admission_decision_date": "09/03/2025",
        "ceremony_date": "19/03/2025",
        "conviction": "less_serious",
        "conviction_cleared_on": "10/03/2020",
    }
    page = html(client.post(url, post))
    assert "sớm nhất từ ngày 10/03/2025" in page

    post.update(admission_decision_date="10/03/2025", ceremony_date="20/03/2025")
    assert client.post(url, post).status_code == 302
    m.refresh_from_db()
    assert m.status == "probationary" and m.readmitted


def test_readmission_page_is_404_outside_scope(as_user, org_tree, commune_b_staff, outsider, commune_a_staff):
    m = MemberFactory(organization=org_tree.cell_a)
    services.member_exit(
        actor=commune_a_staff, member=m, kind="removed", effective_on=D(2015, 1, 15), reason="x"
    )
    url = reverse("members:member_action", args=[m.pk, "ket-nap-lai"])
    assert as_user(commune_b_staff).get(url).status_code == 404
    assert as_user(outsider).get(url).status_code == 404


def test_early_badge_through_the_form(as_user, org_tree, commune_a_staff):
    m = MemberFactory(
        organization=org_tree.cell_a,
        admission_decision_date=D(1996, 5, 10),
        ceremony_date=D(1996, 5, 20),
        birth_date=D(1940, 1, 1),
    )
    client = as_user(commune_a_staff)
    url = reverse("members:member_action", args=[m.pk, "huy-hieu"])
    post = {"years": "30", "effective_on": "10/05/2025", "decision_ref": "12-QĐ/TU", "early": "seriously_ill"}
    assert "Cần ghi lý do." in html(client.post(url, post))
    assert not m.events.filter(kind=MemberEvent.Kind.BADGE_AWARDED).exists()

    post["reason"] = "Bệnh nặng, điều trị dài ngày"
    assert client.post(url, post).status_code == 302
    event = m.events.get(kind=MemberEvent.Kind.BADGE_AWARDED)
    assert event.data["early"] == "seriously_ill"
    assert "Trao sớm (bệnh nặng)" in html(client.get(reverse("members:member_detail", args=[m.pk])))


# --- Extension from the transfer inbox ------------------------------------------------------------


@pytest.fixture
def stay(org_tree, commune_a_staff, commune_b_staff):
    an = MemberFactory(organization=org_tree.cell_a, full_name="Nguyễn Văn An")
    t = services.transfer_issue(
        actor=commune_a_staff,
        member=an,
        kind="temporary",
        to_org=org_tree.cell_b,
        issued_on=D(2026, 1, 5),
        ends_on=D(2026, 7, 5),
    )
    return services.transfer_accept(actor=commune_b_staff, transfer=t, accepted_on=D(2026, 1, 12))


@pytest.mark.parametrize("side", ["commune_a_staff", "commune_b_staff"])
def test_either_side_extends_from_the_inbox(as_user, stay, side, request):
    client = as_user(request.getfixturevalue(side))
    inbox = html(client.get(reverse("members:transfer_inbox")))
    url = reverse("members:transfer_step", args=[stay.pk, "gia-han"])
    assert url in inbox and "đến 05/07/2026" in inbox

    page = html(client.get(url))
    assert "từ 12/01/2026 đến 05/07/2026" in page
    page = html(client.post(url, {"new_end": "12/01/2027", "on": "01/06/2026", "reason": "Chưa xong"}))
    assert "dưới 12 tháng" in page

    response = client.post(url, {"new_end": "11/01/2027", "on": "01/06/2026", "reason": "Chưa xong"})
    assert response.status_code == 302
    stay.refresh_from_db()
    assert stay.ends_on == D(2027, 1, 11) and stay.state == Transfer.State.ACTIVE
    detail = html(client.get(reverse("members:member_detail", args=[stay.member.pk])))
    assert "Gia hạn sinh hoạt tạm thời" in detail and "đến 11/01/2027" in detail


def test_extension_needs_a_reason(as_user, stay, commune_a_staff):
    url = reverse("members:transfer_step", args=[stay.pk, "gia-han"])
    page = html(as_user(commune_a_staff).post(url, {"new_end": "11/01/2027"}))
    assert "Hãy ghi lý do." in page
    stay.refresh_from_db()
    assert stay.ends_on == D(2026, 7, 5)


def test_extension_page_is_404_outside_both_sides(as_user, stay, outsider, province_staff, org_tree):
    from dangvu.accounts.tests.factories import OrgRoleFactory, UserFactory

    other = UserFactory(username="school_staff")
    OrgRoleFactory(user=other, organization=org_tree.school, role="org_staff")
    url = reverse("members:transfer_step", args=[stay.pk, "gia-han"])
    assert as_user(outsider).get(url).status_code == 404
    assert as_user(other).get(url).status_code == 404
    assert as_user(outsider).post(url, {"new_end": "11/01/2027", "reason": "x"}).status_code == 404
    stay.refresh_from_db()
    assert stay.ends_on == D(2026, 7, 5)


# --- The demo member account ------------------------------------------------------------------------


def test_demo_member_account_is_linked_to_a_member_of_its_cell_once(org_tree):
    hoa = MemberFactory(organization=org_tree.cell_a, full_name="Lê Thị Hoa", gender="female")
    MemberFactory(organization=org_tree.cell_a, full_name="Nông Văn Bảo")

    demo_accounts_ensure(province=org_tree.province, seed=1, password="Demo@Pass2026")
    user = User.objects.get(username="dangvien")
    hoa.refresh_from_db()
    assert hoa.user == user and user.full_name == "Lê Thị Hoa"
    assert list(Member.objects.visible_to(user)) == [hoa]

    demo_accounts_ensure(province=org_tree.province, seed=1, password="Demo@Pass2026")
    assert Member.objects.filter(user=user).count() == 1
    assert hoa.history.count() == 2  # created, then linked once


def test_demo_member_account_without_seeded_members_is_left_alone(org_tree):
    demo_accounts_ensure(province=org_tree.province, seed=1, password="Demo@Pass2026")
    assert not Member.objects.filter(user__username="dangvien").exists()


def test_a_plain_member_sees_neither_the_cell_transfers_nor_their_pages(as_user, stay, member, org_tree):
    inbox = html(as_user(member).get(reverse("members:transfer_inbox")))
    assert "Nguyễn Văn An" not in inbox
    url = reverse("members:transfer_step", args=[stay.pk, "gia-han"])
    assert as_user(member).get(url).status_code == 404
