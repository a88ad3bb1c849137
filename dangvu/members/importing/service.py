"""`members_import`: read, validate and (all or nothing) write a member file."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterable
from operator import itemgetter
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone

from dangvu.accounts.models import AccessLog
from dangvu.accounts.services import access_log_write
from dangvu.core.rules import cached_rules
from dangvu.core.text import person_sort_string, search_key
from dangvu.organizations.models import Organization
from dangvu.organizations.permissions import can_manage_organization
from dangvu.reports import tallies

from ..choices import Status
from ..models import Member, MemberEvent
from .columns import COLUMNS, DATE, header_key
from .files import MAX_ROWS, FileRefused, check_xlsx, open_binary
from .report import ImportReport
from .sheet import SheetSource, iter_values
from .validate import RowValidator, ValidRow

SHEET_NAME = "Đảng viên"
WRITE_BATCH = 10_000
PROGRESS_EVERY = 1000
Progress = Callable[[int, int, str], None]


def members_import(
    *, actor: Any, organization: Organization, file: Any, dry_run: bool, progress: Progress | None = None
) -> ImportReport:
    """Validate every row of an .xlsx member file and, if all are valid and not `dry_run`, write them.

    All or nothing: one bad row and nothing is written. `progress(done, total, phase)` is called
    every thousand rows with phase "validate" or "write".
    """
    if not can_manage_organization(actor, organization):
        raise PermissionDenied(f"Không có quyền nhập đảng viên vào «{organization.name}».")
    stream, name = open_binary(file)
    report = ImportReport(file_name=name, dry_run=dry_run)
    try:
        with cached_rules():  # one query per rule key, not per row
            rows = _read_and_validate(stream, actor, organization, report, progress)
    except FileRefused as exc:
        report.refused = str(exc)
        return report
    finally:
        if isinstance(file, str) or hasattr(file, "__fspath__"):
            stream.close()
    if report.ok and not dry_run:
        _write(rows, actor=actor, organization=organization, report=report, progress=progress)
    return report


def _read_and_validate(stream, actor, organization, report, progress) -> list[ValidRow]:
    check_xlsx(stream)
    try:
        sheet = SheetSource(stream, SHEET_NAME)
    except Exception as exc:  # openpyxl raises many kinds for a damaged package
        raise FileRefused("Tệp bị hỏng, không đọc được nội dung bảng tính.") from exc
    try:
        declared = sheet.declared_rows() or 0
        if declared - 1 > MAX_ROWS:
            raise FileRefused(_too_many(declared - 1))
        total = max(declared - 1, 0)
        validator = RowValidator(actor=actor, organization=organization, report=report)
        rows_iter = iter_values(sheet)
        try:
            first = next(rows_iter, None)
        except Exception as exc:
            raise FileRefused("Tệp bị hỏng, không đọc được nội dung bảng tính.") from exc
        header = first[1] if first and first[0] == 1 else None
        validator.set_positions(_header_positions(header))
        count = 0
        try:
            for number, raw in rows_iter:
                if not any(v is not None and (not isinstance(v, str) or v.strip()) for v in raw):
                    continue
                count += 1
                if count > MAX_ROWS:
                    raise FileRefused(_too_many(count))
                validator.add_row(number, raw)
                if progress and count % PROGRESS_EVERY == 0:
                    progress(count, max(total, count), "validate")
        except FileRefused:
            raise
        except Exception as exc:  # a damaged sheet part surfaces while streaming
            raise FileRefused("Tệp bị hỏng, không đọc được nội dung bảng tính.") from exc
        report.total_rows = count
        if count == 0:
            raise FileRefused("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.")
        rows = validator.finish()
        if progress:
            progress(count, count, "validate")
        return rows
    finally:
        sheet.close()


def _too_many(n: int) -> str:
    from dangvu.core.formats import fmt_int

    return f"Tệp có quá nhiều dòng ({fmt_int(n)}), giới hạn là {fmt_int(MAX_ROWS)} dòng mỗi tệp."


def _header_positions(header: tuple[Any, ...] | None) -> dict[str, int]:
    keys = [header_key(h) for h in (header or ())]
    positions = {k: i for i, k in reversed(list(enumerate(keys))) if k}
    missing = [c.header for c in COLUMNS if c.key not in positions]
    if missing:
        known = {c.key for c in COLUMNS}
        unknown = [str(h) for h, k in zip(header or (), keys, strict=False) if k and k not in known]
        message = "Thiếu cột " + ", ".join(f"«{m}»" for m in missing) + " ở dòng tiêu đề (dòng 1)."
        if unknown:
            message += " Cột không có trong mẫu: " + ", ".join(f"«{u}»" for u in unknown) + "."
        message += " Hãy dùng tệp mẫu, không đổi tên hay xóa cột."
        raise FileRefused(message)
    return positions


@transaction.atomic
def _write(rows: list[ValidRow], *, actor, organization, report: ImportReport, progress) -> None:
    """Insert members, their history rows and events in batches, inside one transaction.

    The same rows `services.member_register` writes, without its per-row queries: the member with
    its derived keys, a "+" history row, ADMITTED at the decision date and, once the probation has
    ended, RECOGNIZED_OFFICIAL at ceremony + probation. Rows are built as tuples in column order
    and written with COPY on PostgreSQL, one executemany elsewhere (as the seed loader does);
    `bulk_insert`'s per-value preparation cost as much as the inserts (docs/benchmarks.md).
    """
    now = timezone.now()
    reason = f"Nhập từ tệp Excel {report.file_name}"
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    tables = _Tables(connection)
    stamp, day = tables.stamp(now), tables.day
    history_extra = {
        "history_date": stamp,
        "history_type": "+",
        "history_change_reason": reason[:100],
        "history_user_id": actor_id,
    }
    event_reason = reason[:500]
    admitted, official = MemberEvent.Kind.ADMITTED.value, MemberEvent.Kind.RECOGNIZED_OFFICIAL.value
    probationary_status, official_status = Status.PROBATIONARY.value, Status.OFFICIAL.value
    admitted_data: dict[datetime.date, str] = {}
    official_data = json.dumps({"registered": True})
    names: dict[tuple[str, str | None], tuple[str, str]] = {}
    template = {**tables.member_defaults, "created_at": stamp, "updated_at": stamp}
    last_pk = Member.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    done = 0
    for start in range(0, len(rows), WRITE_BATCH):
        batch = rows[start : start + WRITE_BATCH]
        records = []
        for r in batch:
            v = r.values
            full_name, other_names = v["full_name"], v.get("other_names")
            keys = names.get((full_name, other_names))
            if keys is None:
                keys = names[(full_name, other_names)] = (
                    search_key(" ".join(p for p in (full_name, other_names) if p)),
                    person_sort_string(full_name),
                )
            m = template.copy()
            m.update(v)
            for field in DATE_FIELDS:
                m[field] = day(m[field])
            m["organization_id"] = r.organization_id
            m["status"] = r.status
            m["official_on"] = day(r.official_on)
            m["search_key"], m["name_sort"] = keys
            records.append(m)
        tables.insert(Member, tables.member_columns, map(tables.member_row, records))
        # One statement inserts in order; `created_at` tells this batch from concurrent writers.
        pks = list(
            Member.objects.filter(pk__gt=last_pk, created_at=now).order_by("pk").values_list("pk", flat=True)
        )
        pks = pks[-len(batch) :]
        if len(pks) != len(batch):  # pragma: no cover - would mean a concurrent writer broke the ordering
            raise RuntimeError("Không xác định được mã của các đảng viên vừa ghi.")
        last_pk = pks[-1]
        events = []
        for pk, r, m in zip(pks, batch, records, strict=True):
            m["id"] = pk
            m.update(history_extra)
            ceremony = r.values["ceremony_date"]
            data = admitted_data.get(ceremony)
            if data is None:
                data = admitted_data[ceremony] = json.dumps(
                    {"ceremony_date": ceremony.isoformat(), "registered": True}
                )
            decided = m["admission_decision_date"]  # already adapted for the database
            events.append(
                (pk, admitted, decided, r.organization_id, None, probationary_status, "", decided,
                 event_reason, data, actor_id, stamp, stamp)
            )  # fmt: skip
            if r.status == Status.OFFICIAL:
                events.append(
                    (pk, official, m["official_on"], r.organization_id, None, official_status, "", None,
                     event_reason, official_data, actor_id, stamp, stamp)
                )  # fmt: skip
        tables.insert(Member.history.model, tables.history_columns, map(tables.history_row, records))
        tables.insert(MemberEvent, EVENT_COLUMNS, events)
        done += len(batch)
        if progress:
            progress(done, len(rows), "write")
    # Today's counters of every organization that received members, carried up the tree.
    tallies.refresh_organizations({r.organization_id for r in rows})
    report.created = len(rows)
    report.official = sum(1 for r in rows if r.status == Status.OFFICIAL)
    report.probationary = report.created - report.official
    if actor_id:
        access_log_write(
            user=actor,
            action=AccessLog.Action.IMPORT,
            object_type="member",
            object_id=organization.code,
            detail=f"{reason}: {report.created} đảng viên",
        )


DATE_FIELDS = tuple(c.field for c in COLUMNS if c.kind == DATE)
EVENT_COLUMNS = (
    "member_id", "kind", "effective_on", "organization_id", "other_org_id", "status_after", "decision_ref",
    "decision_date", "reason", "data", "actor_id", "created_at", "updated_at",
)  # fmt: skip


class _Tables:
    """Column lists, defaults and value adaptation for the three tables an import writes."""

    def __init__(self, conn) -> None:
        self.connection = conn
        self.pg = conn.vendor == "postgresql"
        member_fields = [f for f in Member._meta.concrete_fields if not f.primary_key]
        history = Member.history.model._meta
        history_fields = [f for f in history.concrete_fields if f is not history.auto_field]
        self.member_defaults = {f.attname: f.get_db_prep_save(f.get_default(), conn) for f in member_fields}
        self.member_columns = [f.column for f in member_fields]
        self.history_columns = [f.column for f in history_fields]
        self.member_row = itemgetter(*(f.attname for f in member_fields))
        self.history_row = itemgetter(*(f.attname for f in history_fields))
        self._days: dict[datetime.date, Any] = {}

    def stamp(self, now: datetime.datetime) -> Any:
        return now if self.pg else self.connection.ops.adapt_datetimefield_value(now)

    def day(self, value: datetime.date | None) -> Any:
        """A date as the backend stores it (SQLite: ISO text), each distinct date adapted once."""
        if value is None or self.pg:
            return value
        adapted = self._days.get(value)
        if adapted is None:
            adapted = self._days[value] = self.connection.ops.adapt_datefield_value(value)
        return adapted

    def insert(self, model, columns, rows: Iterable[tuple[Any, ...]]) -> None:
        quote = self.connection.ops.quote_name
        table = quote(model._meta.db_table)
        names = ", ".join(quote(c) for c in columns)
        with self.connection.cursor() as cursor:
            if self.pg:
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
