"""API tokens from the command line: `dangvu create-token` and `dangvu revoke-token`."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from dangvu.accounts.models import ApiToken, hash_token

pytestmark = pytest.mark.django_db

URL = "/api/v1/organizations/"
UNAUTHORIZED = {"detail": "Chưa đăng nhập hoặc mã truy cập không hợp lệ.", "field": None}


def create_token(username: str, *args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("create_token", username, *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def revoke_token(value: str) -> str:
    out = StringIO()
    call_command("revoke_token", value, stdout=out)
    return out.getvalue()


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def test_created_token_works_until_it_is_revoked(client, commune_b_staff, org_tree):
    raw, notice = create_token("commune_b_staff", "--name", "máy chủ báo cáo")
    token = ApiToken.objects.get(user=commune_b_staff)

    before = client.get(URL, headers=bearer(raw))
    message = revoke_token(token.prefix)
    after = client.get(URL, headers=bearer(raw))

    # The raw token is printed once and only its hash is stored.
    assert raw.startswith("dv_") and "\n" not in raw
    assert token.key_hash == hash_token(raw) and raw not in (token.key_hash, token.prefix)
    assert token.name == "máy chủ báo cáo"
    assert "không hiển thị lại" in notice
    assert before.status_code == 200
    assert {item["code"] for item in before.json()["items"]} == {"T99-BS", "T99-BS-1"}
    assert message.strip() == f"Đã thu hồi mã {token.prefix}… của «commune_b_staff»."
    assert after.status_code == 401
    assert after.json() == UNAUTHORIZED


def test_revoke_by_the_whole_token(client, province_staff):
    raw, _ = create_token("province_staff")

    revoke_token(raw)

    assert ApiToken.objects.get(user=province_staff).revoked_at is not None
    assert client.get(URL, headers=bearer(raw)).status_code == 401


def test_revoking_twice_says_so(province_staff):
    raw, _ = create_token("province_staff")
    revoke_token(raw)

    assert "đã bị thu hồi từ trước" in revoke_token(raw)


def test_revoking_one_token_leaves_the_others(client, province_staff, org_tree):
    first, _ = create_token("province_staff")
    second, _ = create_token("province_staff")

    revoke_token(first)

    assert client.get(URL, headers=bearer(first)).status_code == 401
    assert client.get(URL, headers=bearer(second)).status_code == 200


def test_token_of_an_inactive_user_is_401(client, province_staff, org_tree):
    raw, _ = create_token("province_staff")
    province_staff.is_active = False
    province_staff.save(update_fields=["is_active"])

    response = client.get(URL, headers=bearer(raw))

    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED


def test_token_use_is_recorded(client, province_staff, org_tree):
    raw, _ = create_token("province_staff")

    client.get(URL, headers=bearer(raw))

    assert ApiToken.objects.get(user=province_staff).last_used_at is not None


def test_create_token_for_an_unknown_user_fails(db):
    with pytest.raises(CommandError, match="Không có người dùng «khong-co»"):
        create_token("khong-co")
    assert not ApiToken.objects.exists()


def test_create_token_for_an_inactive_user_fails(province_staff):
    province_staff.is_active = False
    province_staff.save(update_fields=["is_active"])

    with pytest.raises(CommandError, match="đang bị khóa"):
        create_token("province_staff")


def test_revoke_an_unknown_token_fails(db):
    with pytest.raises(CommandError, match="Không tìm thấy mã"):
        revoke_token("dv_khongco")


def test_revoke_an_ambiguous_prefix_asks_for_the_whole_token(province_staff, commune_b_staff):
    # Prefixes are 10 characters; two live tokens may share one. Force the clash.
    first, _ = create_token("province_staff")
    create_token("commune_b_staff")
    ApiToken.objects.update(prefix=first[:10])

    with pytest.raises(CommandError, match="hãy nhập cả mã"):
        revoke_token(first[:10])
    assert not ApiToken.objects.filter(revoked_at__isnull=False).exists()
