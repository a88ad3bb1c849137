"""Admissions against targets as files: the workbook, the Word report, and their downloads.

The campaign of test_api: on 23/11/2026 the province's 2026 target is 5 (2 women), commune A's 3 and
commune B's 2; three were admitted in commune A (one woman), none in commune B.
"""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from dangvu.accounts.models import AccessLog
from dangvu.admissions import excel, selectors, word
from dangvu.core.tests.office import rendered_text

from .test_api import build_campaign

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]
D = datetime.date


@pytest.fixture
def campaign(org_tree, province_staff):
    return build_campaign(org_tree, province_staff)


def _workbook(org, user, *, year_from=2026, year_to=None, as_of=None):
    content = excel.build_progress(org, year_from=year_from, year_to=year_to, as_of=as_of, produced_by=user)
    return load_workbook(io.BytesIO(content))


def _rows(ws) -> dict[str, tuple]:
    """Table rows by the label in column B → the values from column C."""
    return {
        row[1]: tuple(row[2:])
        for row in ws.iter_rows(values_only=True)
        if isinstance(row[1], str) and (isinstance(row[0], int) or row[1] in ("Cộng", "Tổng số"))
    }


def _text(ws) -> str:
    return " | ".join(str(c) for row in ws.iter_rows(values_only=True) for c in row if c)


def _docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


# --- the workbook ----------------------------------------------------------------------------


def test_progress_sheet_equals_the_selector(campaign, province_staff):
    wb = _workbook(campaign.province, province_staff)
    assert wb.sheetnames == ["Tiến độ", "Theo đối tượng"]
    rows = _rows(wb["Tiến độ"])
    tp = selectors.target_progress(campaign.province, year_from=2026)
    for r in tp.children:
        ratio = round(r.admitted * 100 / r.target, 2) if r.target else None
        assert rows[r.name] == (r.target, r.admitted, ratio), r.name
    assert rows["Đảng bộ xã An Bình"] == (3, 3, 100.0)
    assert rows["Đảng bộ phường Bắc Sơn"] == (2, 0, 0.0)
    assert rows["Cộng"] == (tp.children_target, tp.admitted, 60.0) == (5, 3, 60.0)
    top = _text(wb["Tiến độ"])
    assert (
        "KẾT QUẢ KẾT NẠP ĐẢNG VIÊN NĂM 2026" in top
        and "Chỉ tiêu được giao: 5; đã kết nạp 3/5 (60,00%)" in top
    )
    assert "Số liệu từ ngày 01/01/2026 đến ngày 23/11/2026" in top and "ĐẢNG CỘNG SẢN VIỆT NAM" in top


def test_segment_sheet_against_the_segment_targets(campaign, province_staff):
    rows = _rows(_workbook(campaign.province, province_staff)["Theo đối tượng"])
    tp = selectors.target_progress(campaign.province, year_from=2026)
    assert rows["Tổng số"] == (5, 3, 60.0, 100.0)
    for s in tp.segments:
        assert rows[s.label][:2] == (s.target, s.admitted), s.label
    assert rows["Nữ"] == (2, 1, 50.0, 33.33)
    assert rows["Ở xã biên giới"] == (None, 0, None, 0.0)


def test_a_term_without_target_and_a_past_date(campaign, commune_a_staff):
    wb = _workbook(campaign.commune_a, commune_a_staff, year_from=2025, year_to=2030, as_of=D(2026, 8, 31))
    top = _text(wb["Tiến độ"])
    assert "KẾT QUẢ KẾT NẠP ĐẢNG VIÊN NHIỆM KỲ 2025–2030" in top
    assert "Chưa được giao chỉ tiêu; đã kết nạp 2 đảng viên" in top
    assert "đến ngày 31/08/2026" in top and "ĐẢNG BỘ TỈNH THỬ NGHIỆM" in top
    rows = _rows(wb["Tiến độ"])
    assert rows["Chi bộ thôn Đông"] == (None, 1, None) and rows["Cộng"] == (None, 2, None)


# --- the Word report -------------------------------------------------------------------------


def test_report_has_the_party_layout_and_the_seed_wording(campaign, province_staff):
    text = _docx_text(word.build_progress(campaign.province, year_from=2026, produced_by=province_staff))
    for line in (
        "TỈNH ỦY THỬ NGHIỆM",
        "Số       -BC/TU",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Thử Nghiệm, ngày 23 tháng 11 năm 2026",
        "BÁO CÁO\nKết quả kết nạp đảng viên năm 2026",
        "Năm 2026, Đảng bộ tỉnh Thử Nghiệm được giao chỉ tiêu kết nạp 5 đảng viên; đã giao chỉ tiêu cho các "
        "tổ chức trực thuộc tổng cộng 5 đảng viên.",
        "Tính đến ngày 23/11/2026, toàn tỉnh kết nạp được 3/5 đảng viên mới, đạt 60,00% chỉ tiêu.",
        "Trong số đảng viên mới kết nạp: nữ 1 (chiếm 33,33%; chỉ tiêu 2, đạt 50,00%); thanh niên "
        "(từ 30 tuổi trở xuống) 3 (chiếm 100,00%).",
        "Có 1/2 tổ chức trực thuộc được giao chỉ tiêu đã đạt hoặc vượt chỉ tiêu: Đảng bộ xã An Bình.",
        "Các tổ chức có tỷ lệ thấp nhất: Đảng bộ phường Bắc Sơn 0/2 (0,00%).",
        "Nơi nhận:",
        "T/M BAN THƯỜNG VỤ",
        "PHỤ LỤC",
        "1 | Đảng bộ xã An Bình | 3 | 3 | 100,00%",
        "2 | Đảng bộ phường Bắc Sơn | 2 | 0 | 0,00%",
        " | Cộng | 5 | 3 | 60,00%",
    ):
        assert line in text, line


def test_report_without_a_target(campaign, commune_a_staff):
    content = word.build_progress(
        campaign.commune_a, year_from=2025, year_to=2030, produced_by=commune_a_staff
    )
    text = _docx_text(content)
    assert "ĐẢNG ỦY XÃ AN BÌNH" in text and "Kết quả kết nạp đảng viên nhiệm kỳ 2025–2030" in text
    assert (
        "Tính đến ngày 23/11/2026, toàn Đảng bộ xã kết nạp được 3 đảng viên mới "
        "(nhiệm kỳ 2025–2030 chưa được giao chỉ tiêu)." in text
    )
    assert "Tổ chức chưa được giao chỉ tiêu nhưng đã kết nạp đảng viên: Chi bộ thôn Đông và" in text


# --- the views -------------------------------------------------------------------------------

VIEWS = ["admissions:progress_xlsx", "admissions:progress_docx"]


@pytest.mark.parametrize("name", VIEWS)
def test_outsiders_and_the_other_commune_get_404(client, campaign, outsider, commune_b_staff, name):
    client.force_login(outsider)
    assert client.get(reverse(name, args=[campaign.province.pk])).status_code == 404
    client.force_login(commune_b_staff)
    assert client.get(reverse(name, args=[campaign.commune_a.pk])).status_code == 404
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize(
    ("name", "content_type", "filename"),
    [
        (VIEWS[0], "spreadsheetml", "ket-nap-dang-vien-T99-AB-2025-2030.xlsx"),
        (VIEWS[1], "wordprocessingml", "bao-cao-ket-nap-dang-vien-T99-AB-2025-2030.docx"),
    ],
)
def test_download_is_logged(client, campaign, commune_a_staff, name, content_type, filename):
    client.force_login(commune_a_staff)
    url = reverse(name, args=[campaign.commune_a.pk])
    response = client.get(url, {"ky": "2025-2030", "ngay": "31/08/2026"})
    assert response.status_code == 200 and content_type in response["Content-Type"]
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.object_id) == (
        commune_a_staff,
        AccessLog.Action.EXPORT,
        str(campaign.commune_a.pk),
    )
    assert "nhiệm kỳ 2025–2030 của Đảng bộ xã An Bình" in log.detail and "31/08/2026" in log.detail


@pytest.mark.parametrize("name", VIEWS)
@pytest.mark.parametrize(
    ("params", "message"),
    [({"ky": "2030-2025"}, "năm kết thúc trước năm bắt đầu"), ({"ngay": "24/11/2026"}, "chưa đến")],
)
def test_a_bad_period_or_date_goes_back_to_the_progress_page(
    client, campaign, province_staff, name, params, message
):
    client.force_login(province_staff)
    response = client.get(reverse(name, args=[campaign.province.pk]), params)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admissions:progress_org", args=[campaign.province.pk]))
    assert any(message in str(m) for m in response.wsgi_request._messages)
    assert not AccessLog.objects.exists()


# --- rendered through LibreOffice ------------------------------------------------------------


def test_both_outputs_render_to_pdf_with_libreoffice(campaign, province_staff, tmp_path: Path):
    org = campaign.province
    texts = rendered_text(
        tmp_path,
        {
            "ket-nap.xlsx": excel.build_progress(org, year_from=2026, produced_by=province_staff),
            "bao-cao.docx": word.build_progress(org, year_from=2026, produced_by=province_staff),
        },
    )

    def text(name: str) -> str:
        return " ".join(texts[name].split())

    tp = selectors.target_progress(org, year_from=2026)
    sheets = text("ket-nap.xlsx")
    assert "KẾT QUẢ KẾT NẠP ĐẢNG VIÊN NĂM 2026" in sheets and "ĐẢNG VIÊN MỚI KẾT NẠP THEO ĐỐI TƯỢNG" in sheets
    assert "60,00" in sheets and "33,33" in sheets  # the ratios, in the Vietnamese format
    report = text("bao-cao.docx")
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in report and "BÁO CÁO" in report
    # Justified lines come out of pdftotext with spaces inside words: compare without spaces.
    sentence = f"kết nạp được {tp.admitted}/{tp.target} đảng viên mới, đạt 60,00% chỉ tiêu"
    assert "".join(sentence.split()) in "".join(report.split())
    assert "PHỤ LỤC" in report and "Đảng bộ phường Bắc Sơn" in report
