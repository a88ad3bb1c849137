"""Factories for party development. Candidates are filled like the services fill them (NFC name,
search key and Vietnamese sort key); stages are better reached through the services
(`conftest.walk`), which check their order and rules."""

from __future__ import annotations

import datetime

import factory

from dangvu.admissions.choices import Segment, TargetPeriod
from dangvu.admissions.models import AdmissionTarget, Candidate
from dangvu.core.text import nfc, person_sort_string, search_key
from dangvu.members.choices import Gender


class CandidateFactory(factory.django.DjangoModelFactory):
    """A candidate listed on 05/01/2026, born 10/05/2000; pass `organization` (a cell)."""

    class Meta:
        model = Candidate

    full_name = factory.Sequence(lambda n: f"Trần Văn Ưu Tú {n}")
    gender = Gender.MALE
    birth_date = datetime.date(2000, 5, 10)
    listed_on = datetime.date(2026, 1, 5)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        kwargs["full_name"] = nfc(kwargs["full_name"])
        kwargs.setdefault("search_key", search_key(kwargs["full_name"]))
        kwargs.setdefault("name_sort", person_sort_string(kwargs["full_name"]))
        return model_class.objects.create(**kwargs)


class AdmissionTargetFactory(factory.django.DjangoModelFactory):
    """A 2026 target of 10 for the total; pass `organization` (assigned by itself unless given)."""

    class Meta:
        model = AdmissionTarget

    period = factory.LazyAttribute(
        lambda o: TargetPeriod.YEAR if o.year_from == o.year_to else TargetPeriod.TERM
    )
    year_from = 2026
    year_to = factory.LazyAttribute(lambda o: o.year_from)
    segment = Segment.TOTAL
    target = 10
    assigned_by = factory.LazyAttribute(lambda o: o.organization)
