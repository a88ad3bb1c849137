"""The dashboard shows the quality ranking of the latest finished round (issue 5 in the statistics)."""

import pytest
from django.urls import reverse

from dangvu.evaluations import services
from dangvu.evaluations.choices import Subject
from dangvu.evaluations.models import OrganizationRating

pytestmark = pytest.mark.django_db


def test_the_dashboard_shows_the_ranking_of_a_finished_round(client, org_tree, province_staff, outsider):
    rnd = services.round_create(actor=province_staff, organization=org_tree.province, year=2026)
    services.round_open(actor=province_staff, round=rnd)
    rating = OrganizationRating.objects.get(
        round=rnd, organization=org_tree.cell_a, subject=Subject.ORGANIZATION
    )
    services.decide_organization_level(
        actor=province_staff, rating=rating, level="htt", decision_ref="12-QĐ/ĐU"
    )
    client.force_login(province_staff)
    url = reverse("reports:dashboard", args=[org_tree.province.pk])
    assert "Kết quả xếp loại chất lượng" not in client.get(url).content.decode()  # not finished yet

    services.round_close(actor=province_staff, round=rnd, override_reason="Các chi bộ còn lại xếp loại sau")
    page = client.get(url).content.decode()
    assert "Kết quả xếp loại chất lượng" in page and rnd.name in page
    assert "1/" in page  # one collective decided

    client.force_login(outsider)
    assert client.get(url).status_code == 404
