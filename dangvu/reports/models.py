"""Stored counters behind today's figures. Everything else in this app only reads."""

from __future__ import annotations

from django.db import models

from dangvu.organizations.models import Organization


class Tally(models.Model):
    """How many of something an organization holds today: `own` directly, `total` with its subtree.

    A derived projection of the members and organizations tables, kept in step by
    `dangvu.reports.tallies` inside the same transaction as every member or organization write,
    and rebuilt from scratch by `dangvu rebuild-tallies`. Keys are `family:value` strings (see
    `tallies.MEMBER_FAMILIES`), chosen so that no key depends on today's date: ages and party
    ages are stored by year and turned into bands when read. Past dates never read this table;
    they are counted from the event history (`figures.counts_as_of`).
    """

    pk = models.CompositePrimaryKey("organization", "key")
    organization = models.ForeignKey(Organization, on_delete=models.DO_NOTHING, related_name="+")
    key = models.CharField(max_length=40)
    own = models.IntegerField(default=0)
    total = models.IntegerField(default=0)

    class Meta:
        verbose_name = "bộ đếm"
        verbose_name_plural = "bộ đếm"

    def __str__(self) -> str:
        return f"{self.organization_id} {self.key}: {self.own}/{self.total}"
