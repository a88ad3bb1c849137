"""The official outputs: the statistical workbook (Biểu số 1–5-BTCTW) and the Word report.

Their numbers must be the dashboard's (`statistics.snapshot` / `statistics.period`), they must
say whose figures and of which date, and only people who may see the organization get them.
"""

from __future__ import annotations

import datetime
import io
from collections import Counter
from pathlib import Path

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from dangvu.accounts.models import AccessLog
from dangvu.core.tests.office import rendered_text
from dangvu.members.choices import Gender, Religion, Status
from dangvu.members.services import member_exit
from dangvu.members.tests.factories import MemberFactory
from dangvu.reports import excel, statistics, tallies, word
from dangvu.reports.views.exports import BadDates, parse_export_dates

TODAY = datetime.date(2026, 11, 20)
START = datetime.date(2026, 1, 1)
LAST_YEAR = datetime.date(2025, 11, 20)


@pytest.fixture
def history(org_tree, system_admin, time_machine):
    """A small history: members admitted long ago and this year, one death this year, one
    admission in the same period last year."""
    time_machine.move_to(datetime.datetime(2026, 11, 20, 9, 0, tzinfo=datetime.UTC), tick=False)
    t = org_tree
    MemberFactory(organization=t.cell_a, gender=Gender.FEMALE)
    MemberFactory(organization=t.cell_a, ethnicity="02")  # Tày
    MemberFactory(organization=t.cell_a, religion=Religion.BUDDHISM, gender=Gender.FEMALE)
    for day in (3, 4):
        MemberFactory(
            organization=t.cell_a,
            status=Status.PROBATIONARY,
            birth_date=datetime.date(2000, 1, 1),
            admission_decision_date=datetime.date(2026, 3, day),
            ceremony_date=datetime.date(2026, 3, day + 10),
        )
    MemberFactory(organization=t.cell_b)
    MemberFactory(
        organization=t.cell_b,
        admission_decision_date=datetime.date(2025, 4, 1),
        ceremony_date=datetime.date(2025, 4, 11),
        status=Status.PROBATIONARY,
        gender=Gender.FEMALE,
    )
    gone = MemberFactory(organization=t.school_cell)
    MemberFactory(organization=t.school_cell)
    member_exit(
        actor=system_admin,
        member=gone,
        kind="deceased",
        effective_on=datetime.date(2026, 2, 10),
        reason="Từ trần",
    )
    tallies.rebuild()
    return t


def _build(org, user) -> bytes:
    return excel.build_workbook(org, as_of=TODAY, start=START, end=TODAY, produced_by=user)


def _rows(ws) -> dict[str, list]:
    """Label (column A, or B when A holds a row number) → the row's values."""
    out: dict[str, list] = {}
    for row in ws.iter_rows(values_only=True):
        label = row[1] if ws.title == "Biểu 4" else row[0]
        if isinstance(label, str):
            out.setdefault(label.strip(), list(row))
    return out


# --- the workbook -------------------------------------------------------------------------------


def test_workbook_form1_equals_period_and_balances(history, province_staff):
    wb = load_workbook(io.BytesIO(_build(history.province, province_staff)))
    assert wb.sheetnames == ["Biểu 1", "Biểu 2", "Biểu 3", "Biểu 4", "Biểu 5"]
    rows = _rows(wb["Biểu 1"])
    now = statistics.period(history.province, START, TODAY)
    before = statistics.period(history.province, datetime.date(2025, 1, 1), LAST_YEAR)

    a = rows["A - Tổng số đảng viên cuối kỳ trước chuyển sang"]
    b = rows["B - Đảng viên tăng trong kỳ"]
    c = rows["C - Đảng viên giảm trong kỳ"]
    d = rows["D - Đảng viên trong danh sách cuối kỳ báo cáo"]
    assert (a[1], b[1], c[1], d[1]) == (now["opening"], now["increase"]["total"], now["decrease"]["total"], 8)
    assert d[1] == now["closing"] == a[1] + b[1] - c[1]
    assert rows["1. Kết nạp"][1:3] == [2, 1] == [now["increase"]["admitted"], before["increase"]["admitted"]]
    assert rows["1. Từ trần"][1] == 1 == now["decrease"]["deceased"]
    assert d[2] == before["closing"]
    assert d[3] == round(d[1] * 100 / d[2], 2)  # column 4 = 2 × 100 / 3


def test_workbook_form2_and_form3_equal_the_dashboard(history, province_staff):
    wb = load_workbook(io.BytesIO(_build(history.province, province_staff)))
    admissions = statistics.period(history.province, START, TODAY)["admissions"]
    form2 = _rows(wb["Biểu 2"])
    assert form2["I. Tổng số đảng viên mới kết nạp"][1] == admissions["total"] == 2
    assert form2["- Từ 30 tuổi trở xuống (*)"][1] == admissions["youth"] == 2

    figures = statistics.snapshot(history.province, TODAY).figures
    before = statistics.snapshot(history.province, LAST_YEAR).figures
    form3 = _rows(wb["Biểu 3"])
    total = form3["I. Đảng viên trong danh sách có đến cuối kỳ báo cáo"]
    assert total[1:3] == [figures["members"]["total"], before["members"]["total"]] == [8, 7]
    assert form3["Trong đó: - Nữ"][1] == figures["members"]["female"] == 3
    assert form3["- Dự bị"][1] == figures["members"]["probationary"]
    assert form3["- Từ 18 đến 30 tuổi"][1] == 2
    assert form3["- Tuổi bình quân"][1] == figures["members"]["mean_age"]


def test_workbook_form4_and_form5_count_ethnicity_and_base_types(history, province_staff):
    wb = load_workbook(io.BytesIO(_build(history.province, province_staff)))
    form4 = _rows(wb["Biểu 4"])
    assert form4["Tày"][2:5] == [1, 0, 12.5]
    assert form4["Kinh"][2] == 7
    assert form4["Phật giáo"][2:4] == [1, 1]

    form5 = _rows(wb["Biểu 5"])
    figures = statistics.snapshot(history.province, TODAY).figures
    # The school's base committee (public service) with its cell and one member.
    assert form5["6. Đơn vị sự nghiệp, gồm:"][1:7] == [1, 1, 0, 0, 1, 1]
    # Village cells of the communes go to Xã / Phường with their members.
    assert form5["1. Xã"][5:7] == [1, 5]
    assert form5["2. Phường"][5:7] == [1, 2]
    total = form5["12. Cộng (1+...+11)"]
    assert total[1] == figures["organizations"]["base"] == 1
    assert total[6] == figures["members"]["total"]


def test_every_sheet_names_the_organization_date_and_author(history, province_staff):
    wb = load_workbook(io.BytesIO(_build(history.commune_a, province_staff)))
    for ws in wb.worksheets:
        top = " | ".join(str(c) for row in ws.iter_rows(max_row=10, values_only=True) for c in row if c)
        assert "ĐẢNG BỘ XÃ AN BÌNH" in top and "ĐẢNG BỘ TỈNH THỬ NGHIỆM" in top, ws.title
        assert "ĐẢNG CỘNG SẢN VIỆT NAM" in top and "-BTCTW" in top
        assert "20/11/2026" in top
        assert "người lập: Province Staff" in top
        texts = [str(c) for row in ws.iter_rows(values_only=True) for c in row if c]
        assert "Thử Nghiệm, ngày 20 tháng 11 năm 2026" in texts
        assert "NGƯỜI LẬP BIỂU" in texts and "T/M BAN THƯỜNG VỤ" in texts
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 and ws.print_title_rows


def test_numbers_use_a_vietnamese_format(history, province_staff):
    wb = load_workbook(io.BytesIO(_build(history.province, province_staff)))
    row = next(r for r in wb["Biểu 1"].iter_rows() if r[0].value and str(r[0].value).startswith("D -"))
    assert row[1].number_format == "[$-42A]#,##0"
    assert row[3].number_format == "[$-42A]#,##0.00"


# --- the Word report --------------------------------------------------------------------------


def _docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_report_has_the_party_document_header_and_figures(history, province_staff):
    content = word.build_report(
        history.province, as_of=TODAY, start=START, end=TODAY, produced_by=province_staff
    )
    text = _docx_text(content)
    for line in (
        "ĐẢNG BỘ TỈNH THỬ NGHIỆM",
        "-BC/TU",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Thử Nghiệm, ngày 20 tháng 11 năm 2026",
        "BÁO CÁO",
        "Tình hình tổ chức đảng và đảng viên đến ngày 20/11/2026",
        "Toàn tỉnh có 2 đảng bộ xã, phường, đặc khu",
        "Toàn tỉnh có 8 đảng viên (5 đảng viên chính thức, 3 đảng viên dự bị), trong đó 3 đảng viên nữ "
        "(chiếm 37,50%)",
        "Trong kỳ kết nạp được 2 đảng viên (cùng kỳ năm trước kết nạp 1 đảng viên; bằng 200,00%)",
        "T/M BAN THƯỜNG VỤ",
        "Nơi nhận:",
        "PHỤ LỤC",
        "Đảng bộ xã An Bình",
    ):
        assert line in text, line
    assert "đạt" not in text.split("PHỤ LỤC")[0].replace("đạt được", "")  # no targets yet


def test_report_wording_follows_the_level(history, commune_a_staff):
    text = _docx_text(
        word.build_report(history.commune_a, as_of=TODAY, start=START, end=TODAY, produced_by=commune_a_staff)
    )
    assert "Toàn Đảng bộ xã có 6 đảng viên" in text
    assert "ĐẢNG BỘ TỈNH THỬ NGHIỆM" in text and "ĐẢNG BỘ XÃ AN BÌNH" in text and "-BC/ĐU" in text
    cell = _docx_text(
        word.build_report(history.cell_b, as_of=TODAY, start=START, end=TODAY, produced_by=commune_a_staff)
    )
    assert "Toàn chi bộ có 2 đảng viên" in cell and "T/M CHI BỘ" in cell


def test_report_sentences_write_numbers_the_vietnamese_way():
    counter = Counter({"all": 27350, "g:female": 9200, "g:male": 18150, "st:official": 27000})
    counter["st:probationary"] = 350
    counter["eth:01:male"] = 27350
    counter["rel:none:male"] = 27350
    figures = statistics.describe(counter, TODAY)

    class Org:
        kind, name = "province", "Đảng bộ tỉnh Thử Nghiệm"

    text = " ".join(word.members_sentences(Org(), figures, figures, LAST_YEAR))
    assert "Toàn tỉnh có 27.350 đảng viên (27.000 đảng viên chính thức, 350 đảng viên dự bị)" in text
    assert "9.200 đảng viên nữ (chiếm 33,64%)" in text


# --- the views -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["reports:export_xlsx", "reports:export_docx"])
def test_outsiders_and_other_communes_get_404(client, history, outsider, commune_b_staff, name):
    for user in (outsider, commune_b_staff):
        client.force_login(user)
        assert client.get(reverse(name, args=[history.commune_a.pk])).status_code == 404
    assert not AccessLog.objects.exists()


def test_anonymous_users_are_sent_to_login(client, history):
    response = client.get(reverse("reports:export_xlsx", args=[history.province.pk]))
    assert response.status_code == 302 and "dang-nhap" in response["Location"]


@pytest.mark.parametrize(
    ("name", "content_type", "filename"),
    [
        ("reports:export_xlsx", "spreadsheetml", "bieu-thong-ke-T99-AB-20261120.xlsx"),
        ("reports:export_docx", "wordprocessingml", "bao-cao-T99-AB-20261120.docx"),
    ],
)
def test_export_downloads_and_is_logged(client, history, commune_a_staff, name, content_type, filename):
    client.force_login(commune_a_staff)
    response = client.get(reverse(name, args=[history.commune_a.pk]), {"from": "2026-01-01"})
    assert response.status_code == 200
    assert content_type in response["Content-Type"]
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.object_id) == (
        commune_a_staff,
        AccessLog.Action.EXPORT,
        str(history.commune_a.pk),
    )
    assert "20/11/2026" in log.detail and "01/01/2026" in log.detail


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"as_of": "31/02/2026"}, "Ngày số liệu"),
        ({"as_of": "2027-01-01"}, "chưa đến"),
        ({"from": "2026-05-01", "to": "2026-04-01"}, "sau ngày cuối kỳ"),
        ({"to": "hôm qua"}, "Ngày cuối kỳ"),
    ],
)
def test_bad_dates_go_back_to_the_dashboard_with_a_message(client, history, province_staff, params, message):
    client.force_login(province_staff)
    response = client.get(reverse("reports:export_docx", args=[history.province.pk]), params)
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:dashboard", args=[history.province.pk])
    shown = [str(m) for m in response.wsgi_request._messages]
    assert any(message in m for m in shown), shown
    assert not AccessLog.objects.exists()


def test_default_dates_run_from_new_year_to_as_of():
    today = datetime.date(2026, 6, 30)
    assert parse_export_dates({}, today) == (today, START, today)
    assert parse_export_dates({"as_of": "2025-03-15"}, today) == (
        datetime.date(2025, 3, 15),
        datetime.date(2025, 1, 1),
        datetime.date(2025, 3, 15),
    )
    with pytest.raises(BadDates):
        parse_export_dates({"from": "x"}, today)


# --- rendered through LibreOffice ------------------------------------------------------------


def test_both_outputs_render_to_pdf_with_libreoffice(history, province_staff, tmp_path: Path):
    texts = rendered_text(
        tmp_path,
        {
            "bieu.xlsx": _build(history.province, province_staff),
            "bao-cao.docx": word.build_report(
                history.province, as_of=TODAY, start=START, end=TODAY, produced_by=province_staff
            ),
        },
    )

    def text(name: str) -> str:
        return texts[name]

    sheets = text("bieu.xlsx")
    assert "TĂNG, GIẢM ĐẢNG VIÊN NĂM 2026" in sheets and "ĐỘI NGŨ ĐẢNG VIÊN" in sheets
    assert "Biểu số 5-BTCTW" in sheets
    assert "200,00" in sheets  # Kết nạp 2 vs 1: column 4 in the Vietnamese format
    report = text("bao-cao.docx")
    assert "BÁO CÁO" in report and "ĐẢNG CỘNG SẢN VIỆT NAM" in report
    assert "Toàn tỉnh có 8 đảng viên" in " ".join(report.split())
