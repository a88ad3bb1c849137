"""The outputs of a round: the results workbook, the decision recognizing the levels of the
organizations, the ranking distribution for the statistics pages, and their downloads.

The round is the province's 2026 round (conftest): in cell_a An is HTXS, Bình HTT and Chi HT (the
commune decides; one HTXS against one HTT breaks the 20% cap); in the school's cell Dung is HTT
and Giang KHT (the school decides); Hoa in commune B is proposed but not decided. The commune
decides its cell (HTT) and the school (HTXS); nothing is decided for the communes themselves.
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
from dangvu.core.tests.office import rendered_text
from dangvu.evaluations import excel, selectors, services, statistics, word
from dangvu.evaluations.choices import Level

from .conftest import org_rating, rating_of

pytestmark = pytest.mark.django_db
DECIDED_AT = datetime.datetime(2026, 12, 10, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def decided(open_round, people, org_tree, province_staff, time_machine):
    time_machine.move_to(DECIDED_AT, tick=False)
    rnd, t = open_round, org_tree
    plan = {
        "an": (Level.EXCELLENT, 92),
        "binh": (Level.GOOD, 80),
        "chi": (Level.COMPLETED, 60),
        "dung": (Level.GOOD, 85),
        "giang": (Level.NOT_COMPLETED, 40),
        "hoa": (Level.GOOD, 75),
    }
    ratings = {key: rating_of(rnd, getattr(people, key)) for key in plan}
    services.propose_member_levels(
        actor=province_staff,
        round=rnd,
        proposals=[{"rating": ratings[k].pk, "level": lvl, "score": s} for k, (lvl, s) in plan.items()],
    )
    services.record_votes(
        actor=province_staff,
        round=rnd,
        votes=[{"rating": ratings[k].pk, "votes_for": 2, "votes_total": 3} for k in ("an", "binh", "chi")],
    )
    services.decide_member_levels(
        actor=province_staff,
        round=rnd,
        decisions=[{"rating": ratings[k].pk, "level": plan[k][0]} for k in plan if k != "hoa"],
    )
    for org, level, score in ((t.cell_a, Level.GOOD, 80), (t.school, Level.EXCELLENT, 95)):
        r = services.propose_organization_level(
            actor=province_staff, rating=org_rating(rnd, org), level=level, score=score, exceeded_share=40
        )
        services.decide_organization_level(
            actor=province_staff, rating=r, level=level, decision_ref="7-QĐ/ĐU"
        )
    services.propose_organization_level(
        actor=province_staff, rating=org_rating(rnd, t.school_cell), level=Level.GOOD, score=80
    )
    return rnd


def _workbook(rnd, org, user):
    return load_workbook(io.BytesIO(excel.build_results(rnd, org, produced_by=user)))


def _tables(ws) -> tuple[dict[str, list], dict[str, list]]:
    """The summary's two tables: organization name (column B) → the row's values from column C."""
    members: dict[str, list] = {}
    orgs: dict[str, list] = {}
    target = None
    for row in ws.iter_rows(values_only=True):
        if row[0] == "I. ĐẢNG VIÊN":
            target = members
        elif row[0] == "II. TỔ CHỨC ĐẢNG":
            target = orgs
        elif target is not None and isinstance(row[1], str) and row[1] != "2":
            target.setdefault(row[1], list(row[2:]))
    return members, orgs


def _level_cells(row: dict) -> list:
    out = []
    for d in selectors.Progress.distribution(row):
        out += [d["count"], round(d["share"] * 100, 2) if d["share"] is not None else None]
    return out


# --- the workbook -------------------------------------------------------------------------------


def test_summary_sheet_equals_the_progress_page(decided, org_tree, province_staff):
    wb = _workbook(decided, org_tree.province, province_staff)
    assert wb.sheetnames == ["Tổ chức đảng", "Đảng viên", "Tổng hợp"]
    members, orgs = _tables(wb["Tổng hợp"])
    prog = selectors.progress(round=decided, organization=org_tree.province)
    for child, row in prog.children:
        expected = [row["total"], row["total"] - row["rankable"], row["rankable"], row["decided"]]
        assert members[child.name][:12] == expected + _level_cells(row), child.name
    total = prog.total
    assert members["Cộng"][:12] == [6, 0, 6, 5, *_level_cells(total)]
    assert members["Cộng"][4:6] == [1, 20.0]  # one HTXS of five decided
    assert orgs["Cộng"][0] == prog.organizations["total"] == 6  # two communes, three cells, the school
    assert orgs["Cộng"][3:6] == [prog.organizations["decided"], 1, 50.0] == [2, 1, 50.0]
    assert orgs["Đảng bộ xã An Bình"][:4] == [4, 3, 2, 2]  # itself, cell_a, school, school_cell


def test_summary_checks_the_excellent_cap_per_child(decided, org_tree, province_staff):
    members, _orgs = _tables(_workbook(decided, org_tree.province, province_staff)["Tổng hợp"])
    too_many = "Vượt: Có 1 đảng viên HTXS, vượt mức tối đa 0 (20% của 1 đảng viên HTT)"
    assert members["Đảng bộ xã An Bình"][12] == too_many
    assert members["Đảng bộ phường Bắc Sơn"][12] == "Đạt"
    assert members["Cộng"][12] == "Vượt ở 1 nơi"
    # Seen from the commune, its own committee decides for cell_a: the total row carries it.
    members, _orgs = _tables(_workbook(decided, org_tree.commune_a, province_staff)["Tổng hợp"])
    assert members["Chi bộ thôn Đông"][12] == "Tính chung ở cấp trên" and members["Cộng"][12] == too_many
    assert members["Đảng bộ Trường THPT An Bình"][12] == "Đạt"


def test_member_sheet_lists_every_rating_per_cell_in_name_order(decided, org_tree, commune_a_staff):
    ws = _workbook(decided, org_tree.commune_a, commune_a_staff)["Đảng viên"]
    rows = [r for r in ws.iter_rows(values_only=True) if isinstance(r[0], int)]
    assert [(r[1], r[2]) for r in rows] == [
        ("Nguyễn Văn An", "Chi bộ thôn Đông"),
        ("Trần Thị Bình", "Chi bộ thôn Đông"),
        ("Lê Văn Chi", "Chi bộ thôn Đông"),
        ("Phạm Thị Dung", "Chi bộ giáo viên"),
        ("Hoàng Văn Giang", "Chi bộ giáo viên"),
    ]
    an, *_rest, giang = rows
    assert an[5:9] == (92, "HTXS", "2/3", "HTXS")
    assert giang[5:9] == (40, "KHT", None, "KHT")
    cell_b = _workbook(decided, org_tree.province, commune_a_staff)["Đảng viên"]
    hoa = next(r for r in cell_b.iter_rows(values_only=True) if r[1] == "Vũ Thị Hoa")
    assert hoa[8] is None and "chưa" in hoa[9].lower()


def test_organization_sheet_shows_proposed_and_decided_levels(decided, org_tree, commune_a_staff):
    ws = _workbook(decided, org_tree.commune_a, commune_a_staff)["Tổ chức đảng"]
    rows = {(r[1], r[3]): r for r in ws.iter_rows(values_only=True) if isinstance(r[0], int)}
    school = rows[("Đảng bộ Trường THPT An Bình", "Tổ chức đảng")]
    assert school[2] == "Đảng bộ xã An Bình" and school[4:9] == (95, 40, "HTXS", "HTXS", "7-QĐ/ĐU")
    assert rows[("Chi bộ giáo viên", "Tổ chức đảng")][6:8] == ("HTT", None)
    assert ("Đảng bộ xã An Bình", "Tập thể cấp ủy") in rows


def test_every_sheet_names_the_organization_round_and_author_on_a4_landscape(
    decided, org_tree, commune_a_staff
):
    wb = _workbook(decided, org_tree.commune_a, commune_a_staff)
    for ws in wb.worksheets:
        top = " | ".join(str(c) for row in ws.iter_rows(max_row=9, values_only=True) for c in row if c)
        assert "ĐẢNG BỘ TỈNH THỬ NGHIỆM" in top and "ĐẢNG BỘ XÃ AN BÌNH" in top, ws.title
        assert "ĐẢNG CỘNG SẢN VIỆT NAM" in top and decided.name in top
        assert "Ngày lập: 10/12/2026" in top and "người lập: Commune A Staff" in top
        assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    row = next(r for r in wb["Tổng hợp"].iter_rows() if r[1].value == "Cộng")
    assert row[2].number_format == "[$-42A]#,##0" and row[7].number_format == "[$-42A]#,##0.00"


# --- the decision --------------------------------------------------------------------------------


def _docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def test_decision_has_the_party_header_the_counts_and_the_annex(decided, org_tree, commune_a_staff):
    text = _docx_text(word.build_decision(decided, org_tree.commune_a, produced_by=commune_a_staff))
    for line in (
        "ĐẢNG BỘ TỈNH THỬ NGHIỆM",
        "ĐẢNG ỦY XÃ AN BÌNH",
        "Số 7-QĐ/ĐU",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Thử Nghiệm, ngày 10 tháng 12 năm 2026",
        "QUYẾT ĐỊNH\nVề việc công nhận kết quả xếp loại chất lượng\ntổ chức cơ sở đảng năm 2026",
        "BAN THƯỜNG VỤ ĐẢNG ỦY XÃ AN BÌNH",
        "Căn cứ Điều lệ Đảng Cộng sản Việt Nam;",
        "Căn cứ Quy định số 366-QĐ/TW, ngày 30/08/2025 của Bộ Chính trị về kiểm điểm",
        "Căn cứ Hướng dẫn số 43-HD/BTCTW, ngày 31/10/2025 của Ban Tổ chức Trung ương về kiểm điểm",
        "Căn cứ Quy chế làm việc của Ban Chấp hành Đảng bộ xã An Bình;",
        "Xét đề nghị của Ban Xây dựng Đảng Đảng ủy xã An Bình,",
        "Điều 1. Công nhận kết quả xếp loại chất lượng năm 2026 đối với 2 tổ chức cơ sở đảng",
        "- Hoàn thành xuất sắc nhiệm vụ: 1 tổ chức, chiếm 50,00%;",
        "- Hoàn thành tốt nhiệm vụ: 1 tổ chức, chiếm 50,00%;",
        "- Không hoàn thành nhiệm vụ: 0 tổ chức, chiếm 0,00%.",
        "- Ban Thường vụ Tỉnh ủy Thử Nghiệm (để báo cáo),",
        "Điều 2.",
        "Điều 3.",
        "Nơi nhận:",
        "T/M BAN THƯỜNG VỤ",
        "DANH SÁCH",
        "(Kèm theo Quyết định số 7-QĐ/ĐU, ngày 10/12/2026 của Ban Thường vụ Đảng ủy xã An Bình)",
        "1 | Đảng bộ Trường THPT An Bình | Hoàn thành xuất sắc nhiệm vụ | 95 điểm",
        "2 | Chi bộ thôn Đông | Hoàn thành tốt nhiệm vụ | 80 điểm",
    ):
        assert line in text, line
    # The school's cell is the school's to decide, not the commune's.
    assert "Chi bộ giáo viên" not in text


def test_a_base_committee_recognizes_its_cells(decided, org_tree, province_staff):
    services.decide_organization_level(
        actor=province_staff, rating=org_rating(decided, org_tree.school_cell), level=Level.GOOD
    )
    text = _docx_text(word.build_decision(decided, org_tree.school, produced_by=province_staff))
    assert "ĐẢNG BỘ XÃ AN BÌNH\nĐẢNG ỦY TRƯỜNG THPT AN BÌNH" in text and "Số        -QĐ/ĐU" in text
    assert "Về việc công nhận kết quả xếp loại chất lượng\nchi bộ trực thuộc năm 2026" in text
    assert "đối với 1 chi bộ trực thuộc Đảng ủy Trường THPT An Bình" in text
    assert "trực thuộc trực thuộc" not in text
    assert "T/M ĐẢNG ỦY" in text and "Ban Thường vụ Đảng ủy xã An Bình (để báo cáo)" in text


def test_decision_of_a_committee_that_decided_nothing_is_refused(decided, org_tree, province_staff):
    with pytest.raises(word.NothingToDecide, match="Chưa có tổ chức đảng nào"):
        word.build_decision(decided, org_tree.province, produced_by=province_staff)
    with pytest.raises(word.NothingToDecide, match="không quyết định xếp loại"):
        word.build_decision(decided, org_tree.cell_a, produced_by=province_staff)


# --- the statistics --------------------------------------------------------------------------


def test_ranking_distribution_comes_from_the_latest_closed_round(decided, org_tree, province_staff):
    assert statistics.ranking_distribution(org_tree.commune_a, 2026) is None  # still open
    services.round_close(actor=province_staff, round=decided, override_reason="Còn phường Bắc Sơn")
    dist = statistics.ranking_distribution(org_tree.commune_a, 2026)
    assert dist["round"]["id"] == decided.pk and dist["round"]["closed_on"] == datetime.date(2026, 12, 10)
    m = dist["members"]
    assert (m["total"], m["ranked"], m["decided"]) == (5, 5, 5)
    assert [(lvl["short"], lvl["count"]) for lvl in m["levels"]] == [
        ("HTXS", 1),
        ("HTT", 2),
        ("HT", 1),
        ("KHT", 1),
    ]
    assert m["levels"][1]["share"] == 0.4
    o = dist["organizations"]
    assert (o["total"], o["decided"]) == (4, 2)
    assert [lvl["count"] for lvl in o["levels"]] == [1, 1, 0, 0]
    assert statistics.ranking_distribution(org_tree.commune_a, 2025) is None
    assert statistics.ranking_distribution(org_tree.province, 2026)["members"]["decided"] == 5


# --- the views -----------------------------------------------------------------------------------

VIEWS = ["evaluations:results_xlsx", "evaluations:decision_docx"]


@pytest.mark.parametrize("name", VIEWS)
def test_outsiders_and_the_other_commune_get_404(client, decided, org_tree, outsider, commune_b_staff, name):
    client.force_login(outsider)
    assert client.get(reverse(name, args=[decided.pk])).status_code == 404
    client.force_login(commune_b_staff)
    response = client.get(reverse(name, args=[decided.pk]), {"organization": org_tree.commune_a.pk})
    assert response.status_code == 404
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize(
    ("name", "content_type", "filename"),
    [
        (VIEWS[0], "spreadsheetml", "ket-qua-xep-loai-T99-AB-2026.xlsx"),
        (VIEWS[1], "wordprocessingml", "quyet-dinh-xep-loai-T99-AB-2026.docx"),
    ],
)
def test_download_is_logged(client, decided, org_tree, commune_a_staff, name, content_type, filename):
    client.force_login(commune_a_staff)
    response = client.get(reverse(name, args=[decided.pk]))  # starts at the user's commune
    assert response.status_code == 200 and content_type in response["Content-Type"]
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.object_id) == (
        commune_a_staff,
        AccessLog.Action.EXPORT,
        str(decided.pk),
    )
    assert "Đảng bộ xã An Bình" in log.detail


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        (VIEWS[0], {"organization": "abc"}, "Mã tổ chức «abc» không hợp lệ."),
        (VIEWS[1], {"organization": "9" * 30}, "không hợp lệ"),
        (VIEWS[1], {}, "Chưa có tổ chức đảng nào"),  # the province decided no commune yet
    ],
)
def test_bad_requests_go_back_to_the_progress_page_with_a_message(
    client, decided, province_staff, name, params, message
):
    client.force_login(province_staff)
    response = client.get(reverse(name, args=[decided.pk]), params)
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluations:round_progress", args=[decided.pk])
    assert any(message in str(m) for m in response.wsgi_request._messages)
    assert not AccessLog.objects.exists()


# --- rendered through LibreOffice ------------------------------------------------------------


def test_both_outputs_render_to_pdf_with_libreoffice(decided, org_tree, commune_a_staff, tmp_path: Path):
    org = org_tree.commune_a
    texts = rendered_text(
        tmp_path,
        {
            "ket-qua.xlsx": excel.build_results(decided, org, produced_by=commune_a_staff),
            "quyet-dinh.docx": word.build_decision(decided, org, produced_by=commune_a_staff),
        },
    )

    def text(name: str) -> str:
        return " ".join(texts[name].split())

    sheets = text("ket-qua.xlsx")
    assert "KẾT QUẢ XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN" in sheets and "TỔNG HỢP KẾT QUẢ" in sheets
    assert "Nguyễn Văn An" in sheets and "HTXS" in sheets
    assert "20,00" in sheets  # one HTXS of five decided, in the Vietnamese format
    decision = text("quyet-dinh.docx")
    assert "QUYẾT ĐỊNH" in decision and "ĐẢNG CỘNG SẢN VIỆT NAM" in decision
    assert "Hoàn thành xuất sắc nhiệm vụ: 1 tổ chức, chiếm 50,00%" in decision
    assert "DANH SÁCH" in decision and "Đảng bộ Trường THPT An Bình" in decision
