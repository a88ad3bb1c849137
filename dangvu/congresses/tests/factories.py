"""Factories for congress rounds, congresses and committee seats (for tests and other apps' tests).

Rounds made here skip the services' checks; tests of behaviour open rounds through
`dangvu.congresses.services` (see conftest.py) so the congress rows are what opening writes.
"""

from __future__ import annotations

import datetime

import factory

from dangvu.congresses.choices import Level, Position, RoundState
from dangvu.congresses.models import CommitteeMembership, Congress, CongressRound
from dangvu.core.models import LegalBasis


class CongressRoundFactory(factory.django.DjangoModelFactory):
    """An open round of affiliated-cell congresses, term 2025–2027; pass `organization`."""

    class Meta:
        model = CongressRound

    name = "Đại hội chi bộ trực thuộc nhiệm kỳ 2025–2027"
    level = Level.CELL
    term_start_year = 2025
    term_end_year = 2027
    term_months = 30
    starts_on = datetime.date(2025, 8, 1)
    deadline = datetime.date(2025, 11, 30)
    legal_basis = factory.LazyFunction(lambda: LegalBasis.objects.get(code="Điều lệ Đảng 2011"))
    state = RoundState.OPEN
    opened_on = datetime.date(2025, 8, 1)


class CongressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Congress

    round = factory.SubFactory(CongressRoundFactory)


class CommitteeMembershipFactory(factory.django.DjangoModelFactory):
    """A seat held since `started_on` (an earlier term's committee, appointed); pass `organization`
    and `member`."""

    class Meta:
        model = CommitteeMembership

    position = Position.MEMBER
    started_on = datetime.date(2022, 10, 1)
    first_time = True
