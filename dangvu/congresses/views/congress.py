"""One organization's congress: the page, the planned date, the result with the elected committee,
taking it out of (or back into) the round's total."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from dangvu.core.formats import fmt_date, fmt_progress
from dangvu.core.rules import cached_rules
from dangvu.members.choices import ACTIVE_STATUSES, Status
from dangvu.members.models import Member
from dangvu.organizations.permissions import can_manage_organization

from .. import forms, rules, services
from ..choices import Level, RoundState
from ..models import CommitteeMembership, Congress
from ..selectors import POSITION_ORDER
from .common import crumbs, forbidden, visible_congress

# Rows the result form starts with (more can be added on the page): a small cell elects a secretary
# and perhaps a deputy; committees of larger organizations have more seats.
DEFAULT_ROWS = {Level.CELL: 3, Level.SUB_COMMITTEE: 5, Level.BASE: 7}
OTHER_ROWS = 9
SPARE_ROWS = 2


def elected_seats(congress: Congress) -> list[CommitteeMembership]:
    """The seats this congress elected, secretary first; rows voided by a later correction left out
    (a correction closes them on the day they started)."""
    rows = list(
        congress.elected.select_related("member")
        .exclude(ended_on=F("started_on"))
        .order_by("member__name_sort", "id")
    )
    return sorted(rows, key=lambda m: POSITION_ORDER.get(m.position, 9))


def _votes(num: int | None, den: int | None) -> str:
    return fmt_progress(num, den) if num is not None and den is not None else ""


def _detail_context(request: HttpRequest, congress: Congress, **extra: Any) -> dict[str, Any]:
    rnd = congress.round
    today = timezone.localdate()
    seats = elected_seats(congress)
    for s in seats:
        s.votes_text = _votes(s.votes_for, s.votes_valid)
        s.position_votes_text = _votes(s.position_votes_for, s.position_votes_valid)
    context: dict[str, Any] = {
        "congress": congress,
        "round": rnd,
        "org": congress.organization,
        "ancestors": [*crumbs(request, rnd, congress.organization), congress.organization],
        "can_record": services.can_record(request.user, congress),
        # Taking an organization out of the total is for the staff who manage it (as the service checks).
        "can_exclude": can_manage_organization(request.user, congress.organization),
        "is_open": rnd.state == RoundState.OPEN,
        "seats": seats,
        "documents": list(congress.documents.order_by("number")),
        "attendance": _votes(congress.attending, congress.summoned),
        "overdue": congress.held_on is None and not congress.excluded and today > rnd.deadline,
        "history": list(congress.history.select_related("history_user").order_by("-history_date")[:20]),
        "include_form": forms.IncludeForm(),
    }
    context.update(extra)
    return context


@login_required
def congress_detail(request: HttpRequest, pk: int) -> HttpResponse:
    congress = visible_congress(request, pk)
    return render(request, "congresses/congress_detail.html", _detail_context(request, congress))


def _form_page(request: HttpRequest, congress: Congress, form: Any, **extra: Any) -> HttpResponse:
    context = {
        "congress": congress,
        "round": congress.round,
        "org": congress.organization,
        "ancestors": crumbs(request, congress.round, congress.organization),
        "form": form,
        **extra,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "congresses/congress_form.html", context, status=status)


@login_required
def congress_plan(request: HttpRequest, pk: int) -> HttpResponse:
    congress = visible_congress(request, pk)
    if not services.can_record(request.user, congress):
        return forbidden(
            request, PermissionDenied("Chỉ cấp ủy, cán bộ tổ chức phụ trách mới ghi được ngày dự kiến.")
        )
    initial = {"planned_on": congress.planned_on, "pilot": congress.pilot}
    form = forms.PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.congress_plan(actor=request.user, congress=congress, **form.cleaned_data)
        except PermissionDenied as exc:
            return forbidden(request, exc)
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            messages.success(
                request, f"Đã ghi ngày dự kiến tổ chức đại hội: {fmt_date(form.cleaned_data['planned_on'])}."
            )
            return redirect("congresses:congress_detail", pk=congress.pk)
    return _form_page(
        request,
        congress,
        form,
        title="Ngày dự kiến tổ chức đại hội",
        submit="Ghi ngày dự kiến",
        icon="bi-calendar-event",
    )


@login_required
def congress_exclude(request: HttpRequest, pk: int) -> HttpResponse:
    congress = visible_congress(request, pk)
    if not can_manage_organization(request.user, congress.organization):
        return forbidden(
            request, PermissionDenied("Chỉ cán bộ tổ chức phụ trách mới quyết định không tính một tổ chức.")
        )
    form = forms.ExcludeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.congress_exclude(
                actor=request.user, congress=congress, reason=form.cleaned_data["reason"]
            )
        except PermissionDenied as exc:
            return forbidden(request, exc)
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            messages.success(
                request, f"{congress.organization.name} không còn được tính vào tổng số của đợt."
            )
            return redirect("congresses:congress_detail", pk=congress.pk)
    return _form_page(
        request,
        congress,
        form,
        title="Không tính vào tổng số",
        submit="Không tính tổ chức này",
        icon="bi-slash-circle",
        danger=True,
        intro=(
            "Dùng khi tổ chức giải thể, hợp nhất hoặc sáp nhập trước đại hội. Dòng đại hội được giữ lại "
            "cùng lý do, không bị xóa; có thể tính lại sau."
        ),
    )


@login_required
@require_POST
def congress_include(request: HttpRequest, pk: int) -> HttpResponse:
    congress = visible_congress(request, pk)
    form = forms.IncludeForm(request.POST)
    if form.is_valid():
        try:
            services.congress_include(
                actor=request.user, congress=congress, reason=form.cleaned_data["reason"]
            )
        except PermissionDenied as exc:
            return forbidden(request, exc)
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            messages.success(request, f"{congress.organization.name} được tính lại vào tổng số của đợt.")
            return redirect("congresses:congress_detail", pk=congress.pk)
    context = _detail_context(request, congress, include_form=form)
    return render(request, "congresses/congress_detail.html", context, status=400)


# ---------------------------------------------------------------------------------------------
# The result


def _label_date(congress: Congress) -> date:
    """The date whose rules label the candidates (months left): the congress's date if known, else
    today kept inside the round's window."""
    if congress.held_on or congress.planned_on:
        return congress.held_on or congress.planned_on
    rnd = congress.round
    return min(max(timezone.localdate(), rnd.starts_on), rnd.deadline)


def months_left_text(months: int, retires: date) -> str:
    """The end of a candidate's label: "· còn 59 tháng công tác", or, at or past the retirement month
    (a negative count reads as nonsense), "· đã quá tuổi nghỉ hưu (từ tháng 06/2024)"."""
    if months > 0:
        return f" · còn {months} tháng công tác"
    if months == 0:
        return f" · đến tuổi nghỉ hưu (tháng {retires.month:02d}/{retires.year})"
    return f" · đã quá tuổi nghỉ hưu (từ tháng {retires.month:02d}/{retires.year})"


def candidates(request: HttpRequest, congress: Congress, keep: list[int]) -> tuple[Any, dict[int, str]]:
    """Members who may be elected (counted in the organization's subtree, Vietnamese name order),
    plus anyone already recorded, each labelled with birth year and months of work left."""
    org = congress.organization
    qs = (
        Member.objects.visible_to(request.user)
        .filter(
            Q(pk__in=Member.objects.in_subtree(org).filter(status__in=ACTIVE_STATUSES).values("pk"))
            | Q(pk__in=keep)
        )
        .order_by("name_sort", "id")
    )
    on = _label_date(congress)
    labels: dict[int, str] = {}
    with cached_rules():
        for m in qs.only("id", "full_name", "birth_date", "gender", "status"):
            label = f"{m.full_name} ({m.birth_date.year})" if m.birth_date else m.full_name
            if m.status == Status.PROBATIONARY:
                label += " · dự bị"  # may not stand (Điều lệ Điều 3); the service says so if chosen
            left = (
                rules.months_left(m.birth_date, m.gender, congress.round.level, on=on)
                if m.birth_date
                else None
            )
            if left is not None:
                label += months_left_text(left[0], left[1])
            labels[m.pk] = label
    return qs, labels


def _seat_initial(seats: list[CommitteeMembership]) -> list[dict[str, Any]]:
    return [
        {
            "member": s.member_id,
            "position": s.position,
            "votes_for": s.votes_for,
            "votes_valid": s.votes_valid,
            "position_votes_for": s.position_votes_for,
            "position_votes_valid": s.position_votes_valid,
            "first_time": "1" if s.first_time else "0",
            "age_exception": s.age_exception,
        }
        for s in seats
    ]


def _record_initial(congress: Congress) -> dict[str, Any]:
    if congress.held_on:
        official = congress.official_members
    else:
        official = Member.objects.in_subtree(congress.organization).filter(status=Status.OFFICIAL).count()
    return {
        "held_on": congress.held_on,
        "summoned": congress.summoned,
        "attending": congress.attending,
        "official_members": official,
        "delegate_congress": congress.delegate_congress,
        "pilot": congress.pilot,
        "secretary_elected_directly": congress.secretary_elected_directly,
        "note": congress.note,
    }


def _seat(form: Any) -> services.ElectedSeat:
    d = form.cleaned_data
    return services.ElectedSeat(
        member=d["member"],
        position=d["position"],
        votes_for=d["votes_for"],
        votes_valid=d["votes_valid"],
        position_votes_for=d.get("position_votes_for"),
        position_votes_valid=d.get("position_votes_valid"),
        first_time={"1": True, "0": False}.get(d.get("first_time") or ""),
        age_exception=(d.get("age_exception") or "").strip(),
    )


def apply_errors(form: Any, formset: Any, exc: ValidationError) -> list[str]:
    """Put a service refusal where it belongs: a field of the form, the seat row whose member it
    names, or the list above the seats table (returned)."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    seat_errors: list[str] = []
    filled = [f for f in formset.forms if not f.is_blank() and f.cleaned_data.get("member")]
    for field, msgs in errors.items():
        for msg in msgs:
            if field == "seats":
                row = next((f for f in filled if f.cleaned_data["member"].full_name in msg), None)
                if row is not None:
                    row.add_error(None, msg)
                else:
                    seat_errors.append(msg)
            elif field in form.fields:
                form.add_error(field, msg)
            else:
                form.add_error(None, msg)
    return seat_errors


@login_required
def congress_record(request: HttpRequest, pk: int) -> HttpResponse:
    congress = visible_congress(request, pk)
    if not services.can_record(request.user, congress):
        return forbidden(
            request, PermissionDenied("Chỉ cấp ủy, cán bộ tổ chức phụ trách mới ghi được kết quả đại hội.")
        )
    rnd = congress.round
    existing = elected_seats(congress) if congress.held_on else []
    members, labels = candidates(request, congress, [s.member_id for s in existing])
    initial = _record_initial(congress)
    default_rows = DEFAULT_ROWS.get(rnd.level, OTHER_ROWS)
    if rnd.level == Level.CELL and (initial["official_members"] or 0) >= 9:
        default_rows = 7
    extra = max(default_rows - len(existing), SPARE_ROWS)
    formset_class = forms.seat_formset(extra)
    seat_kwargs = {"members": members, "labels": labels}
    correcting = congress.held_on is not None
    status = 200
    seat_errors: list[str] = []
    if request.method == "POST":
        form = forms.RecordForm(request.POST, correcting=correcting)
        formset = formset_class(request.POST, prefix="seat", form_kwargs=seat_kwargs)
        form_ok, seats_ok = form.is_valid(), formset.is_valid()  # both, so every error shows at once
        if form_ok and seats_ok:
            seats = [_seat(f) for f in formset.forms if not f.is_blank()]
            try:
                services.congress_record(
                    actor=request.user, congress=congress, seats=seats, **form.cleaned_data
                )
            except PermissionDenied as exc:
                return forbidden(request, exc)
            except ValidationError as exc:
                seat_errors = apply_errors(form, formset, exc)
            else:
                held = fmt_date(form.cleaned_data["held_on"])
                verb = "Đã sửa" if correcting else "Đã ghi"
                messages.success(request, f"{verb} kết quả đại hội {congress.organization.name} ngày {held}.")
                return redirect("congresses:congress_detail", pk=congress.pk)
        seat_errors = [*formset.non_form_errors(), *seat_errors]
        status = 400
    else:
        form = forms.RecordForm(initial=initial, correcting=correcting)
        formset = formset_class(prefix="seat", initial=_seat_initial(existing), form_kwargs=seat_kwargs)
    context = {
        "congress": congress,
        "round": rnd,
        "org": congress.organization,
        "ancestors": crumbs(request, rnd, congress.organization),
        "form": form,
        "formset": formset,
        "seat_errors": seat_errors,
        "correcting": correcting,
        "has_errors": status == 400,
    }
    return render(request, "congresses/congress_record.html", context, status=status)
