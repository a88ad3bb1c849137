"""Helpers shared by the member pages."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest

from dangvu.organizations import selectors as org_selectors
from dangvu.organizations.models import Organization
from dangvu.organizations.permissions import can_manage_organization

from .. import selectors
from ..models import Member
from ..permissions import can_manage_member


def wants_fragment(request: HttpRequest) -> bool:
    # A history-restore request (back button after the cache was dropped) needs the whole page.
    return bool(request.htmx) and not request.htmx.boosted and not request.htmx.history_restore_request


def partial(request: HttpRequest, template: str, name: str) -> str:
    return f"{template}#{name}" if wants_fragment(request) else template


def visible_member(request: HttpRequest, pk: int) -> Member:
    """The member if in the user's scope; 404 otherwise."""
    return selectors.member_get(user=request.user, pk=pk)


def managed_member(request: HttpRequest, pk: int) -> Member:
    """The member if the user may act on the record; 404 otherwise (same as out of scope)."""
    member = visible_member(request, pk)
    if not can_manage_member(request.user, member):
        raise Http404
    return member


def managed_org(request: HttpRequest, pk: int) -> Organization:
    org = org_selectors.organization_get(user=request.user, pk=pk)
    if not can_manage_organization(request.user, org):
        raise Http404
    return org


def default_org(request: HttpRequest) -> Organization | None:
    """The top organization of the user's scope: what a page shows when none is chosen."""
    roots = org_selectors.scope_roots(user=request.user)
    return roots[0] if roots else None


def ancestors(request: HttpRequest, org: Organization | None) -> list[Any]:
    return org_selectors.breadcrumbs(user=request.user, org=org) if org is not None else []
