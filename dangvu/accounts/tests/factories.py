from __future__ import annotations

import datetime

import factory
from django.contrib.auth.hashers import make_password

from dangvu.accounts.models import OrgRole, Role, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Người dùng {n}")
    # Hashed up front (with the fast test hasher) so no second save is needed.
    password = factory.LazyFunction(lambda: make_password("mat-khau-thu-nghiem"))


class OrgRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgRole

    user = factory.SubFactory(UserFactory)
    role = Role.ORG_STAFF
    granted_on = datetime.date(2020, 1, 1)
