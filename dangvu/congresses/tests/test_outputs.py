"""The progress of a congress round as files: the workbook, the Word report, and their downloads.

The round is the province's round of affiliated-cell congresses (conftest), on 15/12/2025: cell_a
held its congress on 10/09/2025, school_cell plans it for 20/12/2025, cell_b has no plan; the
deadline (30/11/2025) has passed, so the two not held are overdue.
"""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from dangvu.accounts.models import AccessLog
from dangvu.congresses import excel, selectors, services, word
from dangvu.congresses.choices import Position
from dangvu.core.tests.office import rendered_text

from .conftest import congress_of, record, seat

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]
D = datetime.date


@pytest.fixture
def held(cell_round, org_tree, people, province_staff):
    record(
        province_staff,
        congress_of(cell_round, org_tree.cell_a),
        [seat(people.an, Position.SECRETARY), seat(people.binh, Position.DEPUTY), seat(people.chi)],
    )
    services.congress_plan(
        actor=province_staff,
        congress=congress_of(cell_round, org_tree.school_cell),
        planned_on=D(2025, 12, 20),
    )
    return cell_round


TODAY = D(2025, 12, 15)


def _workbook(rnd, org, user, as_of=TODAY):
    return load_workbook(io.BytesIO(excel.build_progress(rnd, org, as_of=as_of, produced_by=user)))


def _rows(ws) -> dict[str, tuple]:
    """Table rows by organization name (column B) → the values from column C."""
    return {
        row[1]: tuple(row[2:])
        for row in ws.iter_rows(values_only=True)
        if isinstance(row[1], str) and (isinstance(row[0], int) or row[1] == "Cộng")
    }


def _top(ws, rows: int = 9) -> str:
    return " | ".join(str(c) for row in ws.iter_rows(max_row=rows, values_only=True) for c in row if c)


def _docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


# --- the workbook ----------------------------------------------------------------------------


def test_progress_sheet_equals_the_selector(held, org_tree, province_staff):
    wb = _workbook(held, org_tree.province, province_staff)
    assert wb.sheetnames == ["Tiến độ", "Chưa tổ chức"]
    rows = _rows(wb["Tiến độ"])
    prog = selectors.progress(held, org_tree.province, as_of=D(2025, 12, 15))
    for r in prog.children:
        ratio = round(r.held * 100 / r.total, 2) if r.total else None
        assert rows[r.name] == (r.total, r.held, ratio, r.total - r.held, r.planned, r.overdue), r.name
    assert rows["Đảng bộ xã An Bình"] == (2, 1, 50.0, 1, 1, 1)
    assert rows["Đảng bộ phường Bắc Sơn"] == (1, 0, 0.0, 1, 0, 1)
    assert (
        rows["Cộng"]
        == (prog.total, prog.held, 33.33, 2, prog.planned, prog.overdue)
        == (3, 1, 33.33, 2, 1, 2)
    )


def test_sheets_name_the_round_and_the_date_in_vietnamese_formats(held, org_tree, commune_a_staff):
    wb = _workbook(held, org_tree.commune_a, commune_a_staff, as_of=D(2025, 10, 1))
    for ws in wb.worksheets:
        top = _top(ws)
        assert "ĐẢNG BỘ TỈNH THỬ NGHIỆM" in top and "ĐẢNG BỘ XÃ AN BÌNH" in top, ws.title
        assert "ĐẢNG CỘNG SẢN VIỆT NAM" in top and held.name in top
        assert "Tính đến ngày 01/10/2025" in top and "hoàn thành trước ngày 30/11/2025" in top
        assert "người lập: Commune A Staff" in top
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    ws = wb["Tiến độ"]
    rows = _rows(ws)
    assert rows["Chi bộ thôn Đông"] == (1, 1, 100.0, 0, 0, 0)
    assert rows["Đảng bộ Trường THPT An Bình"] == (1, 0, 0.0, 1, 1, 0)  # not late on 01/10/2025
    total = next(r for r in ws.iter_rows() if r[1].value == "Cộng")
    assert total[2].number_format == "[$-42A]#,##0" and total[4].number_format == "[$-42A]#,##0.00"
    assert "Kết quả chung: 1/2 (50,00%) đã tổ chức đại hội" in " ".join(
        str(c) for row in ws.iter_rows(values_only=True) for c in row if c
    )


def test_missing_sheet_lists_what_is_not_held(held, org_tree, province_staff):
    ws = _workbook(held, org_tree.province, province_staff)["Chưa tổ chức"]
    rows = [r for r in ws.iter_rows(values_only=True) if isinstance(r[0], int)]
    assert [r[1:5] for r in rows] == [
        ("Chi bộ giáo viên", "Đảng bộ Trường THPT An Bình", "20/12/2025", "Quá hạn"),
        ("Chi bộ khu phố 1", "Đảng bộ phường Bắc Sơn", None, "Quá hạn"),  # no planned date
    ]
    assert [c.organization.name for c in selectors.missing(held, org_tree.province)] == [r[1] for r in rows]
    before = _workbook(held, org_tree.province, province_staff, as_of=D(2025, 9, 9))["Chưa tổ chức"]
    states = {r[1]: r[4] for r in before.iter_rows(values_only=True) if isinstance(r[0], int)}
    assert states == {
        "Chi bộ thôn Đông": "Chưa có kế hoạch",
        "Chi bộ giáo viên": "Chưa đến ngày dự kiến",
        "Chi bộ khu phố 1": "Chưa có kế hoạch",
    }


# --- the Word report -------------------------------------------------------------------------


def test_report_has_the_party_layout_and_the_figures(held, org_tree, province_staff):
    text = _docx_text(
        word.build_progress(held, org_tree.province, as_of=D(2025, 12, 15), produced_by=province_staff)
    )
    for line in (
        "TỈNH ỦY THỬ NGHIỆM",
        "Số       -BC/TU",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Thử Nghiệm, ngày 15 tháng 12 năm 2025",
        "BÁO CÁO\nTiến độ đại hội chi bộ trực thuộc nhiệm kỳ 2025–2027",
        "Đến ngày 15/12/2025, có 1/3 chi bộ đã tổ chức đại hội, đạt 33,33%.",
        "Còn 2 chi bộ chưa tổ chức đại hội, trong đó 1 chi bộ đã có kế hoạch tổ chức và 2 chi bộ đã quá hạn "
        "(hạn hoàn thành trước ngày 30/11/2025).",
        "Có 0/2 tổ chức trực thuộc đã hoàn thành đại hội.",
        "Các tổ chức có tỷ lệ thấp nhất: Đảng bộ phường Bắc Sơn 0/1 (0,00%); "
        "Đảng bộ xã An Bình 1/2 (50,00%).",
        "Các tổ chức quá hạn chưa tổ chức đại hội (2): Chi bộ giáo viên và Chi bộ khu phố 1.",
        "Nơi nhận:",
        "T/M BAN THƯỜNG VỤ",
        "PHỤ LỤC",
        "1 | Đảng bộ xã An Bình | 2 | 1 | 50,00% | 1 | 1",
        "2 | Đảng bộ phường Bắc Sơn | 1 | 0 | 0,00% | 0 | 1",
        " | Cộng | 3 | 1 | 33,33% | 1 | 2",
    ):
        assert line in text, line


def test_report_at_a_commune_as_of_a_past_date(held, org_tree, commune_a_staff):
    content = word.build_progress(held, org_tree.commune_a, as_of=D(2025, 9, 10), produced_by=commune_a_staff)
    text = _docx_text(content)
    assert "ĐẢNG BỘ TỈNH THỬ NGHIỆM\nĐẢNG ỦY XÃ AN BÌNH" in text and "Số       -BC/ĐU" in text
    assert "Đến ngày 10/09/2025, có 1/2 chi bộ đã tổ chức đại hội, đạt 50,00%." in text
    assert "quá hạn" not in text.split("PHỤ LỤC")[0]  # the deadline is still ahead
    assert "Có 1/2 tổ chức trực thuộc đã hoàn thành đại hội: Chi bộ thôn Đông." in text


# --- the views -------------------------------------------------------------------------------

VIEWS = ["congresses:progress_xlsx", "congresses:progress_docx"]


@pytest.mark.parametrize("name", VIEWS)
def test_outsiders_and_the_other_commune_get_404(client, held, org_tree, outsider, commune_b_staff, name):
    client.force_login(outsider)
    assert client.get(reverse(name, args=[held.pk, org_tree.province.pk])).status_code == 404
    client.force_login(commune_b_staff)
    assert client.get(reverse(name, args=[held.pk, org_tree.commune_a.pk])).status_code == 404
    assert client.get(reverse(name, args=[held.pk, org_tree.province.pk])).status_code == 404
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize(
    ("name", "content_type", "filename"),
    [
        (VIEWS[0], "spreadsheetml", "tien-do-dai-hoi-T99-AB-2025-10-01.xlsx"),
        (VIEWS[1], "wordprocessingml", "bao-cao-tien-do-dai-hoi-T99-AB-2025-10-01.docx"),
    ],
)
def test_download_is_logged(client, held, org_tree, commune_a_staff, name, content_type, filename):
    client.force_login(commune_a_staff)
    response = client.get(reverse(name, args=[held.pk, org_tree.commune_a.pk]), {"ngay": "01/10/2025"})
    assert response.status_code == 200 and content_type in response["Content-Type"]
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.object_id) == (commune_a_staff, AccessLog.Action.EXPORT, str(held.pk))
    assert "Đảng bộ xã An Bình" in log.detail and "01/10/2025" in log.detail


@pytest.mark.parametrize("name", VIEWS)
@pytest.mark.parametrize(("ngay", "message"), [("31/02/2025", "không hợp lệ"), ("16/12/2025", "chưa đến")])
def test_a_bad_date_goes_back_to_the_progress_page(
    client, held, org_tree, province_staff, name, ngay, message
):
    client.force_login(province_staff)
    response = client.get(reverse(name, args=[held.pk, org_tree.province.pk]), {"ngay": ngay})
    assert response.status_code == 302
    assert response["Location"] == reverse("congresses:progress_org", args=[held.pk, org_tree.province.pk])
    assert any(message in str(m) for m in response.wsgi_request._messages)
    assert not AccessLog.objects.exists()


# --- rendered through LibreOffice ------------------------------------------------------------


def test_both_outputs_render_to_pdf_with_libreoffice(held, org_tree, province_staff, tmp_path: Path):
    org, on = org_tree.province, D(2025, 12, 15)
    texts = rendered_text(
        tmp_path,
        {
            "tien-do.xlsx": excel.build_progress(held, org, as_of=on, produced_by=province_staff),
            "bao-cao.docx": word.build_progress(held, org, as_of=on, produced_by=province_staff),
        },
    )

    def text(name: str) -> str:
        return " ".join(texts[name].split())

    prog = selectors.progress(held, org, as_of=on)
    sheets = text("tien-do.xlsx")
    assert "TIẾN ĐỘ ĐẠI HỘI" in sheets and "Tính đến ngày 15/12/2025" in sheets
    assert "DANH SÁCH TỔ CHỨC ĐẢNG CHƯA TỔ CHỨC ĐẠI HỘI" in sheets and "Chi bộ khu phố 1" in sheets
    assert "33,33" in sheets and "50,00" in sheets  # the ratios, in the Vietnamese format
    report = text("bao-cao.docx")
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in report and "BÁO CÁO" in report
    # Justified lines come out of pdftotext with spaces inside words: compare without spaces.
    sentence = f"có {prog.held}/{prog.total} chi bộ đã tổ chức đại hội, đạt 33,33%"
    assert "".join(sentence.split()) in "".join(report.split())
    assert "PHỤ LỤC" in report and "Đảng bộ phường Bắc Sơn" in report


def test_report_has_no_blank_page_wherever_the_body_ends(
    held, org_tree, province_staff, tmp_path: Path, monkeypatch
):
    """The report ends with the signature block, whose row holds blank lines for the signature; the
    annex starts a new page. A body a few lines longer or shorter moves the block across the bottom
    of page 1: in every case each page has text (no blank page 2 in LibreOffice), and the block is
    never split from "Nơi nhận:" to the signer."""
    files = {}
    for extra in range(4, 14):  # with the old layout, 6 and 8 extra lines gave a blank page 2
        monkeypatch.setattr(
            word, "children_sentences", lambda prog, n=extra: [f"Dòng thêm số {i + 1}." for i in range(n)]
        )
        files[f"bao-cao-{extra:02d}.docx"] = word.build_progress(
            held, org_tree.province, as_of=D(2025, 12, 15), produced_by=province_staff
        )
    texts = rendered_text(tmp_path, files)
    for name, text in texts.items():
        pages = text.split("\f")[:-1]  # pdftotext ends every page with a form feed
        assert all(page.strip() for page in pages), (name, [len(p.strip()) for p in pages])
        signed = [p for p in pages if "T/M BAN THƯỜNG VỤ" in p]
        assert len(signed) == 1 and "Nơi nhận:" in signed[0] and "Lưu Văn phòng." in signed[0], name
        assert "PHỤ LỤC" in pages[-1] and "PHỤ LỤC" not in signed[0], name


def test_report_layout_keeps_the_signature_whole_and_breaks_the_page_before_the_annex(
    held, org_tree, province_staff
):
    doc = Document(
        io.BytesIO(word.build_progress(held, org_tree.province, as_of=TODAY, produced_by=province_staff))
    )
    xml = doc.element.body.xml
    assert 'w:type="page"' not in xml  # no page-break run: LibreOffice leaves its empty half behind
    annex = next(p for p in doc.paragraphs if p.text == "PHỤ LỤC")
    assert annex.paragraph_format.page_break_before
    signature_table = next(t for t in doc.tables if "Nơi nhận:" in t.cell(0, 0).text)
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in signature_table.rows)
    closing = next(p for p in doc.paragraphs if p.text.startswith("Trên đây là báo cáo"))
    assert closing.paragraph_format.keep_with_next
