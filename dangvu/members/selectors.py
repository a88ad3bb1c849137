"""Reads of the member registry. Every read starts from `Member.objects.visible_to(user)`."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from dangvu.core.rules import cached_rules
from dangvu.core.scoping import scope_q
from dangvu.core.text import search_key
from dangvu.organizations.models import Organization

from . import rules
from .choices import ACTIVE_STATUSES
from .models import Member, MemberEvent, Transfer


def _years_before(today: date, years: int) -> date:
    return rules.add_months(today, -12 * years)


def _age_band_q(band: str, today: date) -> Q:
    """ "a-b" (a to b years inclusive), "-b" (under b), "a-" (a and over)."""
    low_s, _, high_s = band.partition("-")
    q = Q()
    if low_s:
        q &= Q(birth_date__lte=_years_before(today, int(low_s)))
    if high_s:
        high = int(high_s)
        if not low_s:  # "-30": under 30
            q &= Q(birth_date__gt=_years_before(today, high))
        else:
            q &= Q(birth_date__gt=_years_before(today, high + 1))
    return q


def member_list(
    *,
    user: Any,
    organization: int | Organization | None = None,
    q: str = "",
    status: str | None = None,
    gender: str | None = None,
    age_band: str | None = None,
    ethnicity: str | None = None,
    religion: str | None = None,
    education: str | None = None,
    theory_level: str | None = None,
    admission_year: int | None = None,
    include_inactive: bool = False,
) -> QuerySet[Member]:
    """Members visible to `user`, in Vietnamese name order, filtered.

    `organization` (an id) includes its subtree; `q` matches the name without diacritics, or the
    citizen ID or card number; counted members only unless `include_inactive` or a `status`.
    """
    qs = Member.objects.visible_to(user).select_related("organization")
    if organization:
        org_id = organization.pk if isinstance(organization, Organization) else organization
        org = Organization.objects.filter(pk=org_id).first()
        if org is None:
            return qs.none()
        qs = qs.in_subtree(org)
    if status:
        qs = qs.filter(status=status)
    elif not include_inactive:
        qs = qs.filter(status__in=ACTIVE_STATUSES)
    text = (q or "").strip()
    if text:
        digits = re.sub(r"\s", "", text)
        if digits.isdigit():
            qs = qs.filter(Q(citizen_id__startswith=digits) | Q(card_number__startswith=digits))
        else:
            for word in search_key(text).split():
                qs = qs.filter(search_key__contains=word)
    if gender:
        qs = qs.filter(gender=gender)
    if age_band:
        qs = qs.filter(_age_band_q(age_band, timezone.localdate()))
    if ethnicity:
        qs = qs.filter(ethnicity=ethnicity)
    if religion:
        qs = qs.filter(religion=religion)
    if education:
        qs = qs.filter(education=education)
    if theory_level:
        qs = qs.filter(theory_level=theory_level)
    if admission_year:
        qs = qs.filter(
            Q(first_admission_date__year=admission_year)
            | Q(first_admission_date__isnull=True, admission_decision_date__year=admission_year)
        )
    return qs.order_by("name_sort", "id")


def member_get(*, user: Any, pk: int) -> Member:
    """One visible member, or 404 (the same answer for missing and out of scope)."""
    qs = Member.objects.visible_to(user).select_related("organization", "residence_liaison_org", "user")
    return get_object_or_404(qs, pk=pk)


def member_events(*, member: Member) -> QuerySet[MemberEvent]:
    """The member's lifecycle, newest first."""
    return member.events.select_related("organization", "other_org", "actor").order_by("-effective_on", "-id")


def member_history(*, member: Member) -> QuerySet[Any]:
    """Corrections of the record (simple-history), newest first, with who made them."""
    return member.history.select_related("history_user").order_by("-history_date", "-history_id")


def transfers_for(*, user: Any, organization: Organization, state: str | None = None) -> QuerySet[Transfer]:
    """Transfers leaving or arriving in `organization`'s subtree, as far as `user` may see them."""
    sender = scope_q(user, "from_org__path")
    receiver = scope_q(user, "to_org__path")
    qs = Transfer.objects.select_related("member", "from_org", "to_org", "issued_by", "accepted_by")
    if sender is not None:
        # A plain member's role reaches their cell, but they see only their own record.
        qs = qs.filter(sender | receiver).filter(member__in=Member.objects.visible_to(user).values("pk"))
    qs = qs.filter(
        Q(from_org__path__startswith=organization.path) | Q(to_org__path__startswith=organization.path)
    )
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-issued_on", "-id")


def badge_candidates(*, user: Any, organization: Organization, occasion: date) -> list[Member]:
    """Counted members of `organization`'s subtree due a badge at `occasion`, with `badge_years`
    and `party_age` (years, months) set on each."""
    milestones = sorted(int(m) for m in rules.rule("badge.milestones", on=occasion).value)
    # Nobody can reach the first milestone with an admission decision after this date.
    latest_start = rules.add_months(occasion, -12 * milestones[0])
    qs = (
        Member.objects.visible_to(user)
        .active()
        .in_subtree(organization)
        .filter(Q(first_admission_date__lte=latest_start) | Q(admission_decision_date__lte=latest_start))
        .select_related("organization")
        .prefetch_related(Prefetch("events", queryset=MemberEvent.objects.order_by("effective_on", "id")))
        .order_by("name_sort", "id")
    )
    result = []
    with cached_rules():
        for member in qs:
            events = list(member.events.all())
            years = rules.badge_due(member, occasion, events)
            if years is not None:
                member.badge_years = years
                member.party_age = rules.party_age(member, occasion, events)
                result.append(member)
    return result


def temporary_members(*, user: Any, organization: Organization) -> QuerySet[Member]:
    """Members hosted temporarily in `organization`'s subtree: listed there, counted at home."""
    hosted = Transfer.objects.filter(
        kind=Transfer.Kind.TEMPORARY,
        state=Transfer.State.ACTIVE,
        to_org__path__startswith=organization.path,
    ).values("member_id")
    return (
        Member.objects.visible_to(user)
        .filter(pk__in=hosted)
        .select_related("organization")
        .order_by("name_sort", "id")
    )


def transfer_get(*, user: Any, pk: int) -> Transfer:
    """A transfer whose sending or receiving organization lies in the user's scope; 404 otherwise."""
    visible = Organization.objects.visible_to(user).values("pk")
    qs = Transfer.objects.select_related("member", "from_org", "to_org").filter(
        member__in=Member.objects.visible_to(user).values("pk")
    )
    return get_object_or_404(qs.filter(Q(from_org__in=visible) | Q(to_org__in=visible)), pk=pk)
