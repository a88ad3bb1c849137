"""`dangvu statistics` and `dangvu check-statistics` for operators: Vietnamese tables, the API's
JSON, exit code 1 on any difference, Vietnamese errors for unknown codes and bad dates."""

from __future__ import annotations

import json
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from dangvu.reports.models import Tally

from .test_figures import NOW, build_history

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(org_tree, province_staff):
    """The history of test_figures, on 15/06/2026."""
    with time_machine.travel(NOW, tick=False):
        yield build_history(org_tree, province_staff)


def run(name: str, *args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(name, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def settled(history):
    return history  # the counters as the services left them, no recount


def test_check_passes_with_khop(settled):
    out, _err = run("check_statistics", "--org", "t99")
    assert out.startswith("Khớp: số liệu của «Đảng bộ tỉnh Thử Nghiệm» ngày 15/06/2026")


def test_check_lists_every_difference_and_exits_1(settled, org_tree):
    Tally.objects.filter(organization=org_tree.cell_b, key="g:male").update(own=5, total=5)

    with pytest.raises(SystemExit) as exit_info:
        run("check_statistics", "--org", "T99")

    assert exit_info.value.code == 1


def test_check_prints_the_differences(settled, org_tree, capsys):
    Tally.objects.filter(organization=org_tree.cell_b, key="g:male").update(own=5, total=5)
    out, err = StringIO(), StringIO()
    with pytest.raises(SystemExit):
        call_command("check_statistics", "--org", "T99", stdout=out, stderr=err)
    assert "T99-BS-1 «Chi bộ khu phố 1» — g:male: riêng (bộ đếm) 5 ≠ riêng (lịch sử) 2" in out.getvalue()
    assert "chênh lệch" in err.getvalue()


def test_check_on_a_past_date(settled):
    out, _ = run("check_statistics", "--org", "T99-AB", "--as-of", "01/03/2026")
    assert "ngày 01/03/2026" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--org", "KHONGCO"], "Không có tổ chức mã «KHONGCO»."),
        (["--org", "T99", "--as-of", "2026-13-01"], "--as-of: "),
        (["--org", "T99", "--as-of", "2026-06-16"], "--as-of: Ngày 16/06/2026 ở tương lai"),
    ],
)
def test_check_refuses_unknown_codes_and_bad_dates(history, args, message):
    with pytest.raises(CommandError, match=message):
        run("check_statistics", *args)


def test_statistics_table_is_in_vietnamese(settled):
    out, _ = run("statistics", "--org", "T99")

    assert "Đảng bộ tỉnh Thử Nghiệm (T99) — số liệu ngày 15/06/2026 (theo bộ đếm hôm nay)" in out
    assert "Đảng viên" in out and "  nữ" in out and "2 (28,57%)" in out
    assert "Đảng bộ xã An Bình" in out and "Tuổi đời bình quân" in out


def test_statistics_json_is_the_apis_shape(settled, org_tree, province_staff, client):
    out, _ = run("statistics", "--org", "T99", "--as-of", "2026-03-01", "--format", "json")
    client.force_login(province_staff)

    api = client.get(f"/api/v1/organizations/{org_tree.province.pk}/statistics?as_of=2026-03-01").json()
    cli = json.loads(out)
    # The CLI adds the campaigns (congresses, admissions), tested in test_statistics_campaigns_cli.py.
    assert "campaigns" in cli
    cli.pop("campaigns")
    assert cli == api


def test_statistics_period_table(settled):
    out, _ = run("statistics", "--org", "T99-AB", "--from", "2026-01-01", "--as-of", "2026-06-15")

    assert "từ 01/01/2026 đến 15/06/2026" in out
    assert "Đảng viên đầu kỳ" in out and "Kết nạp mới" in out


def test_statistics_period_json(settled):
    out, _ = run("statistics", "--org", "T99", "--from", "2026-01-01", "--format", "json")
    period = json.loads(out)["period"]
    assert (period["opening"], period["increase"]["admitted"], period["closing"]) == (6, 1, 7)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--org", "X"], "Không có tổ chức mã «X»."),
        (["--org", "T99", "--from", "ngày mai"], "--from: "),
        (
            ["--org", "T99", "--from", "2026-05-01", "--as-of", "2026-04-01"],
            "--from: Ngày đầu kỳ 01/05/2026 sau",
        ),
    ],
)
def test_statistics_refuses_unknown_codes_and_bad_dates(history, args, message):
    with pytest.raises(CommandError, match=message):
        run("statistics", *args)
