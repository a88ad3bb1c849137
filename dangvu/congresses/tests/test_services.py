"""Rounds, congress results, the committees they elect, documents, and who may do what."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from dangvu.congresses import services
from dangvu.congresses.choices import DocumentKind, Level, Position, RoundState
from dangvu.congresses.models import CommitteeMembership, Congress, CongressRound
from dangvu.organizations.models import Kind
from dangvu.organizations.tests.factories import OrganizationFactory

from .conftest import DEADLINE, STARTS_ON, congress_of, record, seat
from .factories import CommitteeMembershipFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def messages(exc: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return exc.value.message_dict


# --- Rounds ----------------------------------------------------------------------------------


def test_a_round_is_named_after_its_level_and_keeps_the_term_rule(draft_round):
    assert draft_round.name == "Đại hội chi bộ trực thuộc nhiệm kỳ 2025–2027"
    assert draft_round.state == RoundState.DRAFT
    assert draft_round.term_months == 30
    assert draft_round.legal_basis.code == "Điều lệ Đảng 2011"
    assert draft_round.history.first().history_change_reason == "Tạo đợt đại hội"


def test_a_pilot_round_is_five_years(org_tree, province_staff, today):
    rnd = services.round_create(
        actor=province_staff,
        organization=org_tree.province,
        level=Level.CELL,
        term_start_year=2025,
        term_end_year=2030,
        starts_on=D(2025, 8, 1),
        deadline=D(2025, 12, 31),
        pilot_five_year=True,
    )
    assert (rnd.term_months, rnd.legal_basis.code) == (60, "294-QĐ/TW")


def _create(actor, org, **kw):
    args = {
        "level": Level.CELL,
        "term_start_year": 2025,
        "term_end_year": 2027,
        "starts_on": STARTS_ON,
        "deadline": DEADLINE,
    }
    args.update(kw)
    return services.round_create(actor=actor, organization=org, **args)


def test_a_round_with_a_wrong_term_is_refused(org_tree, province_staff, today):
    with pytest.raises(ValidationError) as exc:
        _create(province_staff, org_tree.province, term_end_year=2029)
    assert "Điều lệ Đảng 2011" in messages(exc)["term_end_year"][0]
    with pytest.raises(ValidationError) as exc:
        _create(
            province_staff,
            org_tree.province,
            term_end_year=2030,
            pilot_five_year=True,
            starts_on=D(2025, 6, 1),
        )
    assert "294-QĐ/TW" in messages(exc)["pilot_five_year"][0]


def test_the_same_round_cannot_be_created_twice(draft_round, org_tree, province_staff):
    with pytest.raises(ValidationError) as exc:
        _create(province_staff, org_tree.province)
    assert "đã có đợt đại hội" in messages(exc)["term_start_year"][0]


def test_deadline_before_start_is_refused(org_tree, province_staff, today):
    with pytest.raises(ValidationError) as exc:
        _create(province_staff, org_tree.province, deadline=D(2025, 7, 1))
    assert "deadline" in messages(exc)


def test_commune_staff_cannot_create_or_open_a_province_round(org_tree, commune_a_staff, draft_round):
    with pytest.raises(PermissionDenied):
        _create(commune_a_staff, org_tree.province, term_start_year=2026, term_end_year=2028)
    with pytest.raises(PermissionDenied):
        services.round_open(actor=commune_a_staff, round=draft_round)
    assert CongressRound.objects.get(pk=draft_round.pk).state == RoundState.DRAFT


def test_opening_writes_a_row_for_every_cell_that_is_not_dissolved(org_tree, province_staff, draft_round):
    OrganizationFactory(
        parent=org_tree.commune_b,
        name="Chi bộ khu phố 2",
        code="T99-BS-2",
        kind=Kind.CELL,
        founded_on=D(2025, 7, 1),
        dissolved_on=D(2025, 7, 20),
    )
    rnd = services.round_open(actor=province_staff, round=draft_round)
    assert rnd.state == RoundState.OPEN and rnd.opened_on == D(2025, 12, 15)
    orgs = set(Congress.objects.filter(round=rnd).values_list("organization__code", flat=True))
    assert orgs == {"T99-AB-D", "T99-AB-THPT-GV", "T99-BS-1"}
    assert Congress.history.filter(round_id=rnd.pk).count() == 3  # bulk rows keep their history


def test_a_commune_round_covers_its_own_subtree(org_tree, commune_a_staff, today):
    rnd = _create(commune_a_staff, org_tree.commune_a)
    services.round_open(actor=commune_a_staff, round=rnd)
    assert Congress.objects.filter(round=rnd).count() == 2


def test_a_base_round_covers_base_committees_and_base_cells(org_tree, province_staff, today):
    OrganizationFactory(
        parent=org_tree.commune_b, name="Chi bộ Trạm y tế", code="T99-BS-YT", kind=Kind.BASE_CELL
    )
    rnd = _create(province_staff, org_tree.province, level=Level.BASE, term_end_year=2030)
    assert rnd.name == "Đại hội tổ chức cơ sở đảng nhiệm kỳ 2025–2030"
    services.round_open(actor=province_staff, round=rnd)
    orgs = set(Congress.objects.filter(round=rnd).values_list("organization__code", flat=True))
    assert orgs == {"T99-AB-THPT", "T99-BS-YT"}


def test_sync_adds_cells_founded_since(org_tree, province_staff, cell_round):
    OrganizationFactory(parent=org_tree.commune_b, name="Chi bộ khu phố 3", code="T99-BS-3", kind=Kind.CELL)
    assert services.round_sync(actor=province_staff, round=cell_round) == 1
    assert services.round_sync(actor=province_staff, round=cell_round) == 0
    assert Congress.objects.filter(round=cell_round).count() == 4


def test_close_round(province_staff, commune_a_staff, cell_round):
    with pytest.raises(PermissionDenied):
        services.round_close(actor=commune_a_staff, round=cell_round)
    rnd = services.round_close(actor=province_staff, round=cell_round, reason="Hoàn thành đợt đại hội")
    assert rnd.state == RoundState.CLOSED and rnd.closed_on == D(2025, 12, 15)
    with pytest.raises(ValidationError):
        services.round_sync(actor=province_staff, round=rnd)


# --- Planning and recording a congress --------------------------------------------------------


def test_plan_a_congress(org_tree, cell_secretary, cell_round):
    c = services.congress_plan(
        actor=cell_secretary, congress=congress_of(cell_round, org_tree.cell_a), planned_on=D(2025, 9, 10)
    )
    assert c.planned_on == D(2025, 9, 10)
    with pytest.raises(ValidationError) as exc:
        services.congress_plan(actor=cell_secretary, congress=c, planned_on=D(2025, 1, 31))
    assert "01/02/2025" in messages(exc)["planned_on"][0]


def test_record_writes_the_new_committee_and_ends_the_old_one(org_tree, people, cell_secretary, cell_round):
    old_secretary = CommitteeMembershipFactory(
        organization=org_tree.cell_a, member=people.an, position=Position.SECRETARY
    )
    old_member = CommitteeMembershipFactory(organization=org_tree.cell_a, member=people.dung)
    c = record(
        cell_secretary,
        congress_of(cell_round, org_tree.cell_a),
        [
            seat(people.an, Position.SECRETARY, position_votes_for=3, position_votes_valid=3),
            seat(people.binh, Position.DEPUTY),
            seat(people.chi),
            seat(people.hai),
            seat(people.dung),  # 59 months left: too old to join first time, enough to be re-elected
        ],
        reason="Ghi nhận kết quả đại hội chi bộ",
    )
    assert (c.held_on, c.summoned, c.attending, c.committee_size) == (D(2025, 9, 10), 12, 10, 5)
    assert c.recorded_by == cell_secretary
    assert c.history.first().history_change_reason == "Ghi nhận kết quả đại hội chi bộ"
    for old in (old_secretary, old_member):
        old.refresh_from_db()
        assert (old.ended_on, old.end_reason) == (D(2025, 9, 10), "Hết nhiệm kỳ")
    new = {m.member_id: m for m in CommitteeMembership.objects.filter(congress=c)}
    assert len(new) == 5
    assert all(m.started_on == D(2025, 9, 10) and m.ended_on is None for m in new.values())
    assert new[people.an.pk].position == Position.SECRETARY
    assert (new[people.an.pk].first_time, new[people.dung.pk].first_time) == (False, False)
    assert new[people.chi.pk].first_time is True
    assert new[people.an.pk].history.first().history_user == cell_secretary


def test_recording_again_corrects_the_earlier_recording(org_tree, people, cell_secretary, cell_round):
    old = CommitteeMembershipFactory(
        organization=org_tree.cell_a, member=people.an, position=Position.SECRETARY
    )
    c = congress_of(cell_round, org_tree.cell_a)
    record(cell_secretary, c, [seat(people.chi, Position.SECRETARY)], official_members=7)
    first_rows = list(CommitteeMembership.objects.filter(congress=c))
    # The congress was in fact held a week later and elected An.
    record(
        cell_secretary, c, [seat(people.an, Position.SECRETARY)], official_members=7, held_on=D(2025, 9, 17)
    )
    for row in first_rows:
        row.refresh_from_db()
        assert row.ended_on == row.started_on and row.end_reason == "Ghi nhận lại kết quả đại hội"
    old.refresh_from_db()
    assert old.ended_on == D(2025, 9, 17)
    new = CommitteeMembership.objects.get(congress=c, ended_on__isnull=True)
    assert (new.member, new.started_on, new.first_time) == (people.an, D(2025, 9, 17), False)
    assert Congress.objects.get(pk=c.pk).history.first().history_change_reason == "Sửa kết quả đại hội"


@pytest.mark.parametrize(
    ("positions", "expected"),
    [
        ((Position.MEMBER, Position.MEMBER, Position.MEMBER), "Phải bầu đúng một bí thư (đang có 0)"),
        ((Position.SECRETARY, Position.SECRETARY, Position.MEMBER), "Phải bầu đúng một bí thư (đang có 2)"),
    ],
)
def test_exactly_one_secretary(org_tree, people, cell_secretary, cell_round, positions, expected):
    seats = [seat(m, p) for m, p in zip((people.an, people.binh, people.chi), positions, strict=True)]
    with pytest.raises(ValidationError) as exc:
        record(cell_secretary, congress_of(cell_round, org_tree.cell_a), seats)
    assert any(expected in m for m in messages(exc)["seats"])
    assert not CommitteeMembership.objects.exists()


def test_a_small_cell_does_not_elect_a_committee(org_tree, people, cell_secretary, cell_round):
    seats = [seat(people.an, Position.SECRETARY), seat(people.binh, Position.DEPUTY), seat(people.chi)]
    with pytest.raises(ValidationError) as exc:
        record(cell_secretary, congress_of(cell_round, org_tree.cell_a), seats, official_members=8)
    assert "dưới 9" in messages(exc)["seats"][0]
    record(cell_secretary, congress_of(cell_round, org_tree.cell_a), seats[:2], official_members=8)


def test_quorum_and_majority_are_checked_together(org_tree, people, cell_secretary, cell_round):
    seats = [seat(people.an, Position.SECRETARY), seat(people.binh, votes_for=5, votes_valid=10)]
    with pytest.raises(ValidationError) as exc:
        record(cell_secretary, congress_of(cell_round, org_tree.cell_a), seats, summoned=12, attending=7)
    errors = messages(exc)
    assert "7/12" in errors["attending"][0]
    assert "Trần Thị Bình" in errors["seats"][0] and "5/10" in errors["seats"][0]


def test_every_seat_must_be_an_official_member_of_the_cell(org_tree, people, cell_secretary, cell_round):
    seats = [seat(people.an, Position.SECRETARY), seat(people.moi), seat(people.hoa)]
    with pytest.raises(ValidationError) as exc:
        record(cell_secretary, congress_of(cell_round, org_tree.cell_a), seats)
    errors = " ".join(messages(exc)["seats"])
    assert "Vũ Thị Mới là đảng viên dự bị" in errors
    assert "Vũ Thị Hoa không phải đảng viên của «Chi bộ thôn Đông»" in errors


def test_age_is_checked_unless_an_exception_is_written(org_tree, people, cell_secretary, cell_round):
    c = congress_of(cell_round, org_tree.cell_a)
    with pytest.raises(ValidationError) as exc:
        record(cell_secretary, c, [seat(people.an, Position.SECRETARY), seat(people.dung)])
    error = messages(exc)["seats"][0]
    assert "Phạm Văn Dũng" in error and "59 tháng" in error and "Chỉ thị 45-CT/TW" in error
    reason = "Ban Thường vụ Tỉnh ủy đồng ý (Công văn 12-CV/TU)"
    record(cell_secretary, c, [seat(people.an, Position.SECRETARY), seat(people.dung, age_exception=reason)])
    assert CommitteeMembership.objects.get(member=people.dung).age_exception == reason


def test_the_congress_date_is_checked(org_tree, people, cell_secretary, cell_round):
    c = congress_of(cell_round, org_tree.cell_a)
    with pytest.raises(ValidationError) as exc:
        record(cell_secretary, c, [seat(people.an, Position.SECRETARY)], held_on=D(2025, 12, 16))
    assert "held_on" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        record(cell_secretary, c, [seat(people.an, Position.SECRETARY)], held_on=D(2025, 1, 31))
    assert "01/02/2025" in messages(exc)["held_on"][0]


def test_a_cell_secretary_records_their_own_cell_only(org_tree, people, cell_secretary, cell_round):
    with pytest.raises(PermissionDenied):
        record(
            cell_secretary, congress_of(cell_round, org_tree.cell_b), [seat(people.hoa, Position.SECRETARY)]
        )
    assert congress_of(cell_round, org_tree.cell_b).held_on is None


def test_rights(
    org_tree, cell_round, cell_secretary, commune_a_staff, commune_b_staff, province_staff, member
):
    cell_a = congress_of(cell_round, org_tree.cell_a)
    assert services.can_record(cell_secretary, cell_a)
    assert services.can_record(commune_a_staff, cell_a)
    assert not services.can_record(commune_b_staff, cell_a)
    assert not services.can_record(member, cell_a)
    assert services.can_manage_round(province_staff, cell_round)
    assert not services.can_manage_round(commune_a_staff, cell_round)


def test_a_closed_round_takes_no_results(org_tree, people, cell_secretary, province_staff, cell_round):
    services.round_close(actor=province_staff, round=cell_round)
    with pytest.raises(ValidationError) as exc:
        record(
            cell_secretary, congress_of(cell_round, org_tree.cell_a), [seat(people.an, Position.SECRETARY)]
        )
    assert "round" in messages(exc)


# --- Excluding, including ---------------------------------------------------------------------


def test_exclude_and_include(org_tree, commune_b_staff, cell_secretary, cell_round):
    c = congress_of(cell_round, org_tree.cell_b)
    with pytest.raises(ValidationError) as exc:
        services.congress_exclude(actor=commune_b_staff, congress=c, reason=" ")
    assert "reason" in messages(exc)
    with pytest.raises(PermissionDenied):
        services.congress_exclude(actor=cell_secretary, congress=c, reason="Sáp nhập")
    c = services.congress_exclude(actor=commune_b_staff, congress=c, reason="Sáp nhập vào Chi bộ khu phố 2")
    assert c.excluded and c.excluded_reason == "Sáp nhập vào Chi bộ khu phố 2"
    c = services.congress_include(actor=commune_b_staff, congress=c)
    assert not c.excluded and c.excluded_reason == ""
    assert c.history.first().history_change_reason == "Tính lại vào tổng số"


# --- Documents --------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_documents_are_numbered_from_01_across_kinds(org_tree, cell_secretary, cell_round, media):
    c = congress_of(cell_round, org_tree.cell_a)
    pdf = SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    a = services.document_add(
        actor=cell_secretary,
        congress=c,
        kind=DocumentKind.POLITICAL_REPORT,
        title="Báo cáo chính trị",
        file=pdf,
    )
    b = services.document_add(actor=cell_secretary, congress=c, kind=DocumentKind.MINUTES, title="Biên bản")
    assert (a.number, b.number, str(a)) == (1, 2, "01 – Báo cáo chính trị")
    assert a.original_name == "bao-cao.pdf" and a.file
    services.document_withdraw(actor=cell_secretary, document=b, reason="Ký nhầm")
    c3 = services.document_add(
        actor=cell_secretary, congress=c, kind=DocumentKind.RESOLUTION, title="Nghị quyết"
    )
    assert c3.number == 3  # a withdrawn number is not reused


def test_document_files_are_checked(org_tree, cell_secretary, cell_round, media):
    c = congress_of(cell_round, org_tree.cell_a)
    exe = SimpleUploadedFile("virus.exe", b"MZ")
    with pytest.raises(ValidationError) as exc:
        services.document_add(
            actor=cell_secretary, congress=c, kind=DocumentKind.OTHER, title="Tệp", file=exe
        )
    assert "virus.exe" in messages(exc)["file"][0]
    big = SimpleUploadedFile("lon.pdf", b"x")
    big.size = 20 * 1024 * 1024 + 1
    with pytest.raises(ValidationError) as exc:
        services.document_add(
            actor=cell_secretary, congress=c, kind=DocumentKind.OTHER, title="Tệp", file=big
        )
    assert "20 MB" in messages(exc)["file"][0]
    with pytest.raises(ValidationError) as exc:
        services.document_add(actor=cell_secretary, congress=c, kind=DocumentKind.OTHER, title=" ")
    assert "title" in messages(exc)


def test_documents_of_another_cell_are_refused(org_tree, cell_secretary, cell_round):
    with pytest.raises(PermissionDenied):
        services.document_add(
            actor=cell_secretary,
            congress=congress_of(cell_round, org_tree.cell_b),
            kind=DocumentKind.MINUTES,
            title="Biên bản",
        )
