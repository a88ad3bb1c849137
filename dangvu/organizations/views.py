"""Pages of the party tree: the tree browser, an organization's page, and the forms that change it.

Every page fetches through the selectors, so an organization outside the user's scope is a 404. The
forms are a 404 as well for a user who sees the organization but may not manage it: the same answer
as "out of scope", so the pages do not tell such users which organizations exist to be managed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from dangvu.congresses.models import CommitteeMembership

from . import forms, selectors, services
from .models import Kind, Organization
from .permissions import can_manage_organization

# How a count of organizations under a node reads: "12 chi bộ, 3 tổ đảng".
KIND_COUNT_NOUNS = {
    Kind.CENTRAL: "trung ương",
    Kind.PROVINCE: "đảng bộ tỉnh, thành phố",
    Kind.PROVINCIAL_BLOC: "đảng bộ trực thuộc tỉnh",
    Kind.DISTRICT: "đảng bộ huyện",
    Kind.COMMUNE: "đảng bộ xã, phường",
    Kind.BASE_COMMITTEE: "đảng bộ cơ sở",
    Kind.BASE_CELL: "chi bộ cơ sở",
    Kind.SUB_COMMITTEE: "đảng bộ bộ phận",
    Kind.CELL: "chi bộ",
    Kind.PARTY_GROUP: "tổ đảng",
}


MOVE_TARGETS_SHOWN = 20
WriteFn = Callable[[], tuple[str, Organization]]


def kind_counts(counts: dict[str, int]) -> list[tuple[int, str]]:
    """{kind: n} as [(n, noun)] in the order of the tree, top down, zeros left out."""
    return [(counts[k], noun) for k, noun in KIND_COUNT_NOUNS.items() if counts.get(k)]


def _wants_fragment(request: HttpRequest) -> bool:
    # A history-restore request (back button after the cache was dropped) needs the whole page.
    return bool(request.htmx) and not request.htmx.boosted and not request.htmx.history_restore_request


def _partial(request: HttpRequest, template: str, partial: str) -> str:
    return f"{template}#{partial}" if _wants_fragment(request) else template


def _managed(request: HttpRequest, pk: int) -> Organization:
    """The organization if the user may change it; 404 otherwise (see the module docstring)."""
    org = selectors.organization_get(user=request.user, pk=pk)
    if not can_manage_organization(request.user, org):
        raise Http404
    return org


@login_required
@require_GET
def tree(request: HttpRequest) -> HttpResponse:
    form = forms.TreeFilterForm(request.GET)
    form.is_valid()
    q, dissolved = form.cleaned_data.get("q", ""), form.cleaned_data.get("giai_the", False)
    context: dict[str, Any] = {"form": form, "q": q, "include_dissolved": dissolved}
    if q:
        context["results"], context["total"] = selectors.organization_search(
            user=request.user, q=q, include_dissolved=dissolved
        )
    else:
        context["nodes"] = selectors.tree_nodes(user=request.user, include_dissolved=dissolved)
    return render(request, _partial(request, "organizations/tree.html", "tree-area"), context)


@login_required
@require_GET
def children(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.organization_get(user=request.user, pk=pk)
    dissolved = request.GET.get("giai_the") == "on"
    context = {
        "org": org,
        "nodes": selectors.tree_nodes(user=request.user, parent=org, include_dissolved=dissolved),
        "include_dissolved": dissolved,
        "ancestors": [] if _wants_fragment(request) else selectors.breadcrumbs(user=request.user, org=org),
    }
    return render(request, _partial(request, "organizations/children.html", "nodes"), context)


def _events(org: Organization) -> list[Any]:
    events = list(selectors.organization_events(org=org))
    for ev in events:  # "Sửa: tên, mã tổ chức" for an UPDATED event
        ev.field_labels = [
            str(Organization._meta.get_field(f).verbose_name) for f in ev.data.get("fields", [])
        ]
    return events


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    # The organization as organization_get reads it, plus whether it has (or had) a committee, for
    # the link to its committee page: an EXISTS inside the same query, not one more round trip.
    has_committee = Exists(CommitteeMembership.objects.filter(organization=OuterRef("pk")))
    org = get_object_or_404(
        Organization.objects.visible_to(request.user).annotate(has_committee=has_committee), pk=pk
    )
    children = selectors.children_with_counts(user=request.user, org=org)
    for child in children:
        child.kind_counts = kind_counts(child.descendant_counts)
    can_manage = can_manage_organization(request.user, org)
    context = {
        "org": org,
        "has_committee": org.has_committee,
        "ancestors": selectors.breadcrumbs(user=request.user, org=org),
        "children": children,
        "subtree_counts": kind_counts(selectors.subtree_kind_counts(org=org)),
        "events": _events(org),
        "can_manage": can_manage,
        "child_kinds": forms.allowed_child_kinds(org) if can_manage else [],
    }
    return render(request, "organizations/detail.html", context)


def _form_page(
    request: HttpRequest, org: Organization, form: Any, template: str, write: WriteFn, **extra: Any
) -> HttpResponse:
    """For a valid POST run `write` (a service call returning a success message and the organization
    to show next); else, or if the service refuses, show the form with the errors next to the fields.

    Services run in one transaction, so a refusal leaves nothing half-written.
    """
    if request.method == "POST" and form.is_valid():
        try:
            message, shown = write()
        except (ValidationError, PermissionDenied) as exc:
            forms.add_service_errors(form, exc)
        else:
            messages.success(request, message)
            return redirect("organizations:detail", pk=shown.pk)
    ancestors = selectors.breadcrumbs(user=request.user, org=org)
    return render(request, template, {"org": org, "form": form, "ancestors": ancestors, **extra})


@login_required
def create(request: HttpRequest, pk: int) -> HttpResponse:
    parent = _managed(request, pk)
    admin_units = forms.admin_unit_options(parent)
    form = forms.OrganizationCreateForm(request.POST or None, parent=parent, admin_units=admin_units)

    def write() -> tuple[str, Organization]:
        org = services.organization_create(actor=request.user, parent=parent, **form.cleaned_data)
        return f"Đã thành lập «{org.name}» trực thuộc «{parent.name}».", org

    return _form_page(request, parent, form, "organizations/create.html", write, admin_units=admin_units)


@login_required
def update(request: HttpRequest, pk: int) -> HttpResponse:
    org = _managed(request, pk)
    admin_units = forms.admin_unit_options(org)
    form = forms.OrganizationUpdateForm(request.POST or None, org=org, admin_units=admin_units)

    def write() -> tuple[str, Organization]:
        if not form.changes():
            return "Không có thông tin nào thay đổi, không có gì được ghi.", org
        data = {f: form.cleaned_data[f] for f in ("effective_on", "decision_ref", "decision_date", "reason")}
        updated = services.organization_update(actor=request.user, org=org, **data, **form.changes())
        return f"Đã cập nhật thông tin «{updated.name}».", updated

    return _form_page(request, org, form, "organizations/update.html", write, admin_units=admin_units)


@login_required
def move(request: HttpRequest, pk: int) -> HttpResponse:
    org = _managed(request, pk)
    form = forms.OrganizationMoveForm(request.POST or None, user=request.user, org=org)
    q = request.POST.get("q") or request.GET.get("q", "")
    targets = list(form.fields["new_parent"].queryset.search(q)[: MOVE_TARGETS_SHOWN + 1])
    extra = {
        "targets": targets[:MOVE_TARGETS_SHOWN],
        "more_targets": len(targets) > MOVE_TARGETS_SHOWN,
        "q": q,
    }
    if request.method == "GET" and _wants_fragment(request):  # the new-parent search box
        return render(request, "organizations/move.html#targets", {"org": org, "form": form, **extra})

    def write() -> tuple[str, Organization]:
        moved = services.organization_move(actor=request.user, org=org, **form.cleaned_data)
        return f"Đã chuyển «{moved.name}» về trực thuộc «{form.cleaned_data['new_parent'].name}».", moved

    return _form_page(request, org, form, "organizations/move.html", write, **extra)


@login_required
def dissolve(request: HttpRequest, pk: int) -> HttpResponse:
    org = _managed(request, pk)
    form = forms.OrganizationDissolveForm(request.POST or None)

    def write() -> tuple[str, Organization]:
        data = {k: v for k, v in form.cleaned_data.items() if k != "confirm"}
        dissolved = services.organization_dissolve(actor=request.user, org=org, **data)
        return f"Đã giải thể «{dissolved.name}» từ ngày {dissolved.dissolved_on:%d/%m/%Y}.", dissolved

    return _form_page(request, org, form, "organizations/dissolve.html", write)
