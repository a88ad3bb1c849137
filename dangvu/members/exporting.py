"""Excel exports of members: any filtered list, and the member register (Mẫu 7-HSĐV).

Both scope the rows again with `visible_to(user)` (a caller's queryset is never trusted alone),
mask the sensitive fields unless asked and allowed, and write an AccessLog entry.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from dangvu.accounts.models import AccessLog
from dangvu.accounts.services import access_log_write
from dangvu.organizations.models import Organization

from .choices import ACTIVE_STATUSES, ETHNICITY_CHOICES, Status
from .models import Member, MemberEvent
from .permissions import can_view_sensitive

DATE_FORMAT = "DD/MM/YYYY"
BOLD = Font(bold=True)
THIN = Side(style="thin", color="000000")
BOX = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
ETHNICITY = dict(ETHNICITY_CHOICES)
# Party documents are set in Times New Roman; without an explicit name viewers mix fonts.
TNR = "Times New Roman"
BODY = Font(name=TNR, size=11)


def _stamp(user: Any) -> str:
    now = timezone.localtime()
    who = getattr(user, "full_name", "") or getattr(user, "username", "")
    return f"Xuất lúc {now:%H:%M} ngày {now:%d/%m/%Y}, người xuất: {who}"


def _save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- a filtered list -----------------------------------------------------------------------------

LIST_COLUMNS: list[tuple[str, int, bool]] = [  # header, width, sensitive
    ("STT", 6, False),
    ("Họ và tên", 26, False),
    ("Giới tính", 9, False),
    ("Ngày sinh", 12, False),
    ("Số CCCD", 15, True),
    ("Dân tộc", 10, True),
    ("Tôn giáo", 12, True),
    ("Quê quán", 28, False),
    ("Nơi ở hiện nay", 28, False),
    ("Nghề nghiệp", 22, False),
    ("Giáo dục phổ thông", 16, False),
    ("Chuyên môn", 14, False),
    ("Lý luận chính trị", 14, False),
    ("Chi bộ", 26, False),
    ("Ngày vào Đảng", 13, False),
    ("Ngày chính thức", 13, False),
    ("Số thẻ đảng viên", 12, False),
    ("Số lý lịch", 12, False),
    ("Tình trạng", 20, False),
]


def export_members_xlsx(
    *,
    user: Any,
    queryset: QuerySet[Member] | None = None,
    title: str = "Danh sách đảng viên",
    include_sensitive: bool = False,
    organization: Organization | None = None,
    filter_description: str = "",
    members: QuerySet[Member] | None = None,
) -> bytes:
    """The members of `queryset` that `user` may see, as an xlsx list (streamed, any size).

    Citizen ID, ethnicity and religion are columns only with `include_sensitive`, and filled only
    for members whose sensitive data the user may see. `members` is another name for `queryset`.
    """
    qs = queryset if queryset is not None else members
    if qs is None:
        raise TypeError("export_members_xlsx() needs a queryset")
    qs = qs.filter(pk__in=Member.objects.visible_to(user).values("pk")).select_related("organization")
    columns = [c for c in LIST_COLUMNS if include_sensitive or not c[2]]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách")
    for i, (_h, width, _s) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    scope = organization.name if organization else "Toàn bộ phạm vi được phân quyền"
    ws.append([_bold(ws, title.upper())])
    ws.append([f"Tổ chức: {scope}"])
    ws.append([f"Điều kiện lọc: {filter_description or 'không lọc'}"])
    ws.append([_stamp(user)])
    ws.append([])
    ws.append([_head(ws, h) for h, _w, _s in columns])
    count = 0
    for count, m in enumerate(qs.iterator(chunk_size=2000), start=1):
        reveal = include_sensitive and can_view_sensitive(user, m)
        row: list[Any] = [count, m.full_name, m.get_gender_display(), _date(ws, m.birth_date)]
        if include_sensitive:
            row += (
                [m.citizen_id or "", ETHNICITY.get(m.ethnicity, ""), m.get_religion_display()]
                if reveal
                else ["***", "***", "***"]
            )
        row += [
            m.home_town,
            m.current_address,
            m.get_occupation_display(),
            m.get_education_display(),
            m.get_qualification_display(),
            m.get_theory_level_display(),
            m.organization.name,
            _date(ws, m.admission_decision_date),
            _date(ws, m.official_on),
            m.card_number or "",
            m.dossier_number,
            m.get_status_display(),
        ]
        ws.append(row)
    ws.append([])
    ws.append([f"Tổng số: {count:,} đảng viên".replace(",", ".")])
    access_log_write(
        user=user,
        action=AccessLog.Action.EXPORT,
        object_type="member_list",
        object_id=str(organization.pk) if organization else "",
        detail=(
            f"{title}: {count} đảng viên; lọc: {filter_description or 'không'}; "
            f"{'có' if include_sensitive else 'không có'} trường nhạy cảm"
        ),
    )
    return _save(wb)


def _bold(ws, value: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    cell.font = Font(bold=True, size=13)
    return cell


def _head(ws, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    cell.font = BOLD
    cell.alignment = CENTER
    cell.border = BOX
    return cell


def _date(ws, value: date | None) -> Any:
    if value is None:
        return ""
    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = DATE_FORMAT
    return cell


# --- the member register (Sổ danh sách đảng viên, Mẫu 7-HSĐV) -----------------------------------

REGISTER_COLUMNS = [
    ("STT", 5),
    ("Họ và tên", 24),
    ("Ngày sinh", 11),
    ("Quê quán", 27),
    ("Ngày vào Đảng", 11),
    ("Ngày chính thức", 11),
    ("Số thẻ", 10),
    ("Số lý lịch", 11),
    ("Ngày chuyển đến", 11),
    ("Ngày chuyển đi", 11),
    ("Ghi chú", 20),
]


def export_member_register_xlsx(*, user: Any, organization: Organization) -> bytes:
    """Sổ danh sách đảng viên of `organization` (its subtree): current members and those who moved
    out, in Vietnamese name order, laid out for A4 landscape printing."""
    if not Organization.objects.visible_to(user).filter(pk=organization.pk).exists():
        raise Http404
    moves = _moves(organization)
    moved_out = [pk for pk, (_in, out, _dest) in moves.items() if out]
    members = list(
        Member.objects.filter(Q(organization__path__startswith=organization.path) | Q(pk__in=moved_out))
        .order_by("name_sort", "id")
        .only(
            "full_name",
            "birth_date",
            "home_town",
            "admission_decision_date",
            "official_on",
            "card_number",
            "dossier_number",
            "status",
            "exempted",
            "organization__path",
        )
        .select_related("organization")
    )
    wb = Workbook()
    ws = wb.active
    ws.title = "Sổ danh sách"
    last = get_column_letter(len(REGISTER_COLUMNS))
    parent = Organization.objects.get_parent(organization)
    _merged(ws, "A1:D1", (parent.name if parent else "").upper(), Font(name=TNR, size=12))
    _merged(ws, "A2:D2", organization.name.upper(), Font(name=TNR, bold=True, size=12))
    _merged(ws, "A3:D3", "*", Font(name=TNR, size=12))
    _merged(
        ws, f"G1:{last}1", "ĐẢNG CỘNG SẢN VIỆT NAM", Font(name=TNR, bold=True, underline="single", size=12)
    )
    today = timezone.localdate()
    _merged(
        ws,
        f"G3:{last}3",
        f"ngày {today.day:02d} tháng {today.month:02d} năm {today.year}",
        Font(name=TNR, italic=True, size=12),
    )
    _merged(ws, f"A5:{last}5", "SỔ DANH SÁCH ĐẢNG VIÊN", Font(name=TNR, bold=True, size=14))
    _merged(ws, f"A6:{last}6", "(Mẫu 7-HSĐV)", Font(name=TNR, italic=True, size=12))
    head = 8
    for i, (h, width) in enumerate(REGISTER_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
        c = ws.cell(row=head, column=i, value=h)
        c.font, c.alignment, c.border = Font(name=TNR, bold=True, size=11), CENTER, BOX
        n = ws.cell(row=head + 1, column=i, value=i)  # the numbered row under the headers, as on paper
        n.font, n.alignment, n.border = Font(name=TNR, italic=True, size=9), CENTER, BOX
    ws.row_dimensions[head].height = 32
    for number, m in enumerate(members, start=1):
        moved_in, moved_out_on, destination = moves.get(m.pk, (None, None, ""))
        inside = m.organization.path.startswith(organization.path)
        values = [
            number,
            m.full_name,
            m.birth_date,
            m.home_town,
            m.admission_decision_date,
            m.official_on,
            m.card_number or "",
            m.dossier_number,
            moved_in,
            moved_out_on,
            _note(m, inside, destination),
        ]
        r = head + 1 + number
        for i, value in enumerate(values, start=1):
            c = ws.cell(row=r, column=i, value=value)
            c.border, c.font = BOX, BODY
            c.alignment = CENTER if i in (1, 3, 5, 6, 7, 8, 9, 10) else WRAP
            if isinstance(value, date):
                c.number_format = DATE_FORMAT
    _print_setup(ws, head, last)
    access_log_write(
        user=user,
        action=AccessLog.Action.EXPORT,
        object_type="member_register",
        object_id=str(organization.pk),
        detail=f"Sổ danh sách đảng viên (Mẫu 7-HSĐV) của {organization.name}: {len(members)} dòng",
    )
    return _save(wb)


def _merged(ws, ref: str, value: str, font: Font) -> None:
    ws.merge_cells(ref)
    cell = ws[ref.split(":")[0]]
    cell.value, cell.font, cell.alignment = value, font, CENTER


def _print_setup(ws, head: int, last: str) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_title_rows = f"{head}:{head + 1}"
    ws.print_area = f"A1:{last}{ws.max_row}"
    ws.oddFooter.center.text = "Trang &P/&N"
    ws.freeze_panes = f"C{head + 2}"


def _moves(organization: Organization) -> dict[int, tuple[date | None, date | None, str]]:
    """member id → (last arrival into the subtree, last departure from it, where they went)."""
    out: dict[int, tuple[date | None, date | None, str]] = {}
    events = (
        MemberEvent.objects.filter(
            organization__path__startswith=organization.path,
            kind__in=[MemberEvent.Kind.TRANSFERRED_IN, MemberEvent.Kind.TRANSFERRED_OUT],
        )
        .order_by("effective_on", "id")
        .values_list("member_id", "kind", "effective_on", "other_org__name", "other_org__path")
    )
    for member_id, kind, on, other_name, other_path in events:
        moved_in, moved_out, dest = out.get(member_id, (None, None, ""))
        internal = other_path is not None and other_path.startswith(organization.path)
        if internal:
            continue  # a move between cells of the same register is not an arrival or departure
        if kind == MemberEvent.Kind.TRANSFERRED_IN:
            moved_in = on
        else:
            moved_out, dest = on, other_name or ""
        out[member_id] = (moved_in, moved_out, dest)
    return out


def _note(m: Member, inside: bool, destination: str) -> str:
    if not inside:
        return f"Đã chuyển đến {destination}" if destination else "Đã chuyển sinh hoạt đi"
    if m.status not in ACTIVE_STATUSES:
        return m.get_status_display()
    notes = []
    if m.status == Status.PROBATIONARY:
        notes.append("Dự bị")
    if m.exempted:
        notes.append("Miễn công tác và sinh hoạt đảng")
    return "; ".join(notes)
