"""Factories for the tree. Nodes are created through treebeard (add_root/add_child), never save()."""

from __future__ import annotations

import datetime

import factory

from dangvu.organizations.models import Kind, Organization, OrganizationEvent


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Tổ chức {n}")
    code = factory.Sequence(lambda n: f"ORG{n:05d}")
    kind = Kind.PROVINCE
    founded_on = datetime.date(2020, 1, 1)

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        from dangvu.core.text import search_key

        kwargs.setdefault("search_key", search_key(f"{kwargs['name']} {kwargs['code']}"))
        instance = model_class(**kwargs)
        objects = model_class.objects
        node = (
            objects.add_root(instance=instance)
            if parent is None
            else objects.add_child(parent, instance=instance)
        )
        OrganizationEvent.objects.create(
            organization=node,
            kind="created",
            effective_on=node.founded_on or datetime.date(2020, 1, 1),
            new_parent=parent,
            new_name=node.name,
        )
        return node
