"""Factories for members. They fill the record like data entry does (NFC text, search key and
Vietnamese sort key) and write the ADMITTED (and RECOGNIZED_OFFICIAL) events, so the invariant
"status equals the status after the latest event" holds for factory-made members too."""

from __future__ import annotations

import datetime

import factory

from dangvu.core.text import nfc, person_sort_string, search_key
from dangvu.members.choices import Gender, Status
from dangvu.members.models import Member, MemberEvent, Transfer
from dangvu.members.rules import add_months


class MemberFactory(factory.django.DjangoModelFactory):
    """An official member by default (ceremony 19/5/2010); pass `organization`."""

    class Meta:
        model = Member

    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    gender = Gender.MALE
    birth_date = datetime.date(1980, 3, 10)
    admission_decision_date = factory.LazyAttribute(lambda o: o.ceremony_date - datetime.timedelta(days=10))
    ceremony_date = datetime.date(2010, 5, 19)
    status = Status.OFFICIAL
    official_on = factory.LazyAttribute(
        lambda o: add_months(o.ceremony_date, 12) if o.status == Status.OFFICIAL else None
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        kwargs["full_name"] = nfc(kwargs["full_name"])
        kwargs.setdefault("search_key", search_key(f"{kwargs['full_name']} {kwargs.get('other_names', '')}"))
        kwargs.setdefault("name_sort", person_sort_string(kwargs["full_name"]))
        member = model_class.objects.create(**kwargs)
        org = member.organization
        MemberEvent.objects.create(
            member=member,
            kind=MemberEvent.Kind.ADMITTED,
            effective_on=member.admission_decision_date,
            organization=org,
            status_after=Status.PROBATIONARY,
        )
        if member.status != Status.PROBATIONARY:
            MemberEvent.objects.create(
                member=member,
                kind=MemberEvent.Kind.RECOGNIZED_OFFICIAL,
                effective_on=member.official_on or member.ceremony_date,
                organization=org,
                status_after=Status.OFFICIAL,
            )
        return member


class TransferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Transfer

    kind = Transfer.Kind.OFFICIAL
    from_org = factory.LazyAttribute(lambda o: o.member.organization)
    issued_on = datetime.date(2026, 1, 5)
    report_due_on = datetime.date(2026, 2, 13)
