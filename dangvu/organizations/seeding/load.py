"""Writing a planned tree through bulk paths: national scale is about 300,000 organizations.

treebeard's add_child costs several queries per node; here the materialized paths, depth and
numchild are computed in Python and the rows go in with one COPY (PostgreSQL) or executemany
(SQLite) per table, together with the history row and the "created" OrganizationEvent that
every organization made through the services has. Each province is one transaction: a failure
leaves nothing half-written.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.models import F, Model
from django.utils import timezone

from dangvu.core.text import search_key

from ..models import Kind, Organization, OrganizationEvent
from .plan import PARTY_FOUNDED_ON, ROOT_CODE, ROOT_NAME, PlanNode, plan_province

REASON = "Khởi tạo dữ liệu mẫu"


@dataclass
class SeedReport:
    """What a seed run did: provinces loaded (code, name, organizations) and those already there."""

    loaded: list[tuple[str, str, int]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    root_created: bool = False
    seconds: float = 0.0

    @property
    def created(self) -> int:
        return sum(n for _, _, n in self.loaded) + self.root_created


def seed_tree(
    *,
    province_codes: list[str],
    scale: str,
    seed: int,
    communes: int | None = None,
    progress: Callable[[str, str, int, float], None] | None = None,
) -> SeedReport:
    """Load the synthetic tree of each province not loaded yet (one transaction per province)."""
    started = time.perf_counter()
    report = SeedReport(root_created=not Organization.objects.filter(code=ROOT_CODE).exists())
    root = root_ensure()
    for code in province_codes:
        existing = Organization.objects.filter(code=f"T{code}").first()
        if existing is not None:
            report.skipped.append((code, existing.name))
            continue
        t0 = time.perf_counter()
        plan = plan_province(code, scale=scale, seed=seed, communes=communes)
        created = _load_children(root, [plan])
        report.loaded.append((code, plan.name, created))
        if progress:
            progress(code, plan.name, created, time.perf_counter() - t0)
    report.seconds = time.perf_counter() - started
    return report


@transaction.atomic
def root_ensure() -> Organization:
    """The central root "Đảng Cộng sản Việt Nam" (code TW), created if missing."""
    root = Organization.objects.filter(code=ROOT_CODE).first()
    if root is not None:
        return root
    root = Organization(
        code=ROOT_CODE,
        name=ROOT_NAME,
        kind=Kind.CENTRAL,
        founded_on=PARTY_FOUNDED_ON,
        search_key=search_key(f"{ROOT_NAME} {ROOT_CODE}"),
    )
    root._change_reason = REASON  # the history row comes from simple-history's post_save
    root = Organization.objects.add_root(instance=root)
    OrganizationEvent.objects.create(
        organization=root,
        kind=OrganizationEvent.EventKind.CREATED,
        effective_on=PARTY_FOUNDED_ON,
        new_name=root.name,
        reason=REASON,
    )
    return root


@transaction.atomic
def _load_children(parent: Organization, plans: list[PlanNode]) -> int:
    """Insert `plans` (and their subtrees) as the next children of `parent`. Returns the row count."""
    parent = Organization.objects.select_for_update().get(pk=parent.pk)
    last = (
        Organization.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    first_step = (Organization._str2int(last[-Organization.steplen :]) if last else 0) + 1
    now = timezone.now()
    rows: list[dict[str, Any]] = []
    parent_paths: list[str] = []

    def build(node: PlanNode, path: str, depth: int, up: str) -> None:
        rows.append(
            {
                "path": path,
                "depth": depth,
                "numchild": len(node.children),
                "code": node.code,
                "name": node.name,
                "kind": node.kind,
                "base_type": node.base_type,
                "admin_unit_code": node.admin_unit_code,
                "founded_on": node.founded_on,
                "search_key": search_key(f"{node.name} {node.code}"),
                "created_at": now,
                "updated_at": now,
            }
        )
        parent_paths.append(up)
        for step, child in enumerate(node.children, 1):
            build(child, Organization._get_path(path, depth + 1, step), depth + 1, path)

    tops = []
    for step, plan in enumerate(plans, first_step):
        tops.append(Organization._get_path(parent.path, parent.depth + 1, step))
        build(plan, tops[-1], parent.depth + 1, parent.path)

    bulk_insert(Organization, rows)
    ids = {parent.path: parent.pk}
    for top in tops:
        ids.update(Organization.objects.filter(path__startswith=top).values_list("path", "pk"))
    history = Organization.history.model
    bulk_insert(
        history,
        [
            {
                **row,
                "id": ids[row["path"]],
                "history_date": now,
                "history_type": "+",
                "history_change_reason": REASON,
            }
            for row in rows
        ],
    )
    bulk_insert(
        OrganizationEvent,
        [
            {
                "organization_id": ids[row["path"]],
                "kind": OrganizationEvent.EventKind.CREATED,
                "effective_on": row["founded_on"],
                "new_parent_id": ids[up],
                "new_name": row["name"],
                "reason": REASON,
                "created_at": now,
                "updated_at": now,
            }
            for row, up in zip(rows, parent_paths, strict=True)
        ],
    )
    Organization.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(plans))
    return len(rows)


def bulk_insert(model: type[Model], rows: list[dict[str, Any]], *, using: str = DEFAULT_DB_ALIAS) -> None:
    """INSERT `rows` (attname → value; other columns get the field default) into `model`'s table.

    A fast path for generated data only: no save(), no signals, no validation. PostgreSQL gets
    COPY; other databases one executemany. Through bulk_create the national tree spent most of its
    time in Django's per-value preparation and psycopg's array dumping (see docs/benchmarks.md).
    """
    if not rows:
        return
    connection = connections[using]
    fields = [f for f in model._meta.concrete_fields if f is not model._meta.auto_field]
    missing = object()
    defaults = [f.get_db_prep_save(f.get_default(), connection) for f in fields]
    # Dates and datetimes need the backend's adaptation (SQLite stores text); there are few
    # distinct values, so each is prepared once.
    prepared: list[dict[Any, Any] | None] = [{} if isinstance(f, models.DateField) else None for f in fields]
    attnames = [f.attname for f in fields]

    def values(row: dict[str, Any]) -> tuple[Any, ...]:
        out = []
        for attname, fld, default, cache in zip(attnames, fields, defaults, prepared, strict=True):
            value = row.get(attname, missing)
            if value is missing:
                value = default
            elif cache is not None and value is not None:
                if value not in cache:
                    cache[value] = fld.get_db_prep_save(value, connection)
                value = cache[value]
            out.append(value)
        return tuple(out)

    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(values(row))
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", [values(r) for r in rows])
