"""The member's own page: the self-assessment of the open round and the results of past rounds."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from dangvu.members.models import Member

from .. import forms, selectors, services
from ..choices import RoundState
from ..models import MemberRating
from .common import forbidden


def _open(rating: MemberRating) -> bool:
    return rating.round.state == RoundState.OPEN and rating.ranked and not rating.decided_level


def _initial(r: MemberRating) -> dict[str, object]:
    return {
        "self_score": r.self_score,
        "self_level": r.self_level,
        "strengths": r.strengths,
        "shortcomings": r.shortcomings,
        "remedies": r.remedies,
    }


@login_required
def my_evaluation(request: HttpRequest, rating_pk: int | None = None) -> HttpResponse:
    ratings = list(selectors.my_ratings(user=request.user))
    posted = None
    if request.method == "POST":
        posted = get_object_or_404(selectors.my_ratings(user=request.user), pk=rating_pk)
        form = forms.SelfAssessForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.self_assess(
                    actor=request.user,
                    rating=posted,
                    score=d["self_score"],
                    level=d["self_level"],
                    strengths=d["strengths"],
                    shortcomings=d["shortcomings"],
                    remedies=d["remedies"],
                )
            except PermissionDenied as exc:
                return forbidden(request, exc)
            except ValidationError as exc:
                forms.add_service_errors(form, exc)
            else:
                messages.success(request, f"Đã nộp bản tự đánh giá ({posted.round.name}).")
                return redirect("evaluations:my_evaluation")
    current = [
        (r, form if posted is not None and r.pk == posted.pk else forms.SelfAssessForm(initial=_initial(r)))
        for r in ratings
        if _open(r)
    ]
    context = {
        "current": current,
        "past": [r for r in ratings if not _open(r)],
        "linked": Member.objects.filter(user=request.user).exists(),
    }
    return render(request, "evaluations/mine.html", context, status=400 if posted is not None else 200)
