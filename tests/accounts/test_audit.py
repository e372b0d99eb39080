import io

import pytest
from django.db import IntegrityError, InternalError, connection, transaction
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AuditAction, AuditLog, AuditOutcome
from accounts.roles import Role
from accounts.services import audit_record

pytestmark = pytest.mark.django_db


def test_the_audit_log_refuses_updates_and_deletes_even_in_sql(make_user):
    entry = audit_record(action=AuditAction.LOGIN, username="someone")
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditLog.objects.all().update(username="x")
    with (
        pytest.raises((InternalError, IntegrityError)),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE accounts_auditlog SET username = 'x' WHERE id = %s", [entry.pk])
    with (
        pytest.raises((InternalError, IntegrityError)),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM accounts_auditlog WHERE id = %s", [entry.pk])
    assert AuditLog.objects.get(pk=entry.pk).username == "someone"


def test_the_auditor_reads_filters_and_pages_the_log(client, make_user):
    auditor = make_user(Role.AUDITOR)
    for number in range(60):
        audit_record(
            action=AuditAction.LOGIN_FAILED, outcome=AuditOutcome.FAILURE, username=f"u{number}"
        )
    audit_record(action=AuditAction.LOGIN, username="zhangsan")
    client.force_login(auditor)
    page = client.get(reverse("accounts:audit_log")).content.decode()
    assert "第 1 / 2 页" in page
    filtered = client.get(reverse("accounts:audit_log"), {"username": "zhangsan"}).content.decode()
    assert "zhangsan" in filtered and "u59" not in filtered
    bad = client.get(
        reverse("accounts:audit_log"), {"date_from": "2026-02-01", "date_to": "2026-01-01"}
    )
    assert "起始日期不能晚于截止日期" in bad.content.decode()


def test_the_audit_log_sorts_by_username_and_shows_the_outcome(client, make_user):
    client.force_login(make_user(Role.AUDITOR))
    audit_record(action=AuditAction.LOGIN, username="wangwu")
    audit_record(action=AuditAction.LOGIN_FAILED, outcome=AuditOutcome.FAILURE, username="lisi")
    page = client.get(reverse("accounts:audit_log"), {"o": "username"}).content.decode()
    assert page.index("lisi") < page.index("wangwu")
    assert '<a href="?o=-username">用户名 ↑</a>' in page
    assert '<span class="outcome outcome--failure">失败</span>' in page


def test_the_lockout_page_is_empty_until_someone_is_locked_out(client, make_user):
    client.force_login(make_user(Role.SECURITY_ADMIN))
    page = client.get(reverse("accounts:lockouts")).content.decode()
    assert "当前没有被锁定的账号" in page and "导出 Excel" not in page


def test_the_audit_log_exports_to_excel_with_chinese_headers(client, make_user):
    auditor = make_user(Role.AUDITOR)
    audit_record(action=AuditAction.LOGIN, username="zhangsan")
    client.force_login(auditor)
    response = client.get(reverse("accounts:audit_log"), {"export": "xlsx", "username": "zhangsan"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("时间", "用户名", "操作", "对象", "结果", "IP 地址")
    assert rows[1][1:3] == ("zhangsan", "登录")
    assert AuditLog.objects.filter(action=AuditAction.EXPORT, actor=auditor).exists()


def test_the_audit_page_query_count_does_not_grow(client, make_user, count_queries):
    client.force_login(make_user(Role.AUDITOR))
    url = reverse("accounts:audit_log")
    for number in range(2):
        audit_record(action=AuditAction.LOGIN, username=f"a{number}")
    client.get(url)
    few = count_queries(client, url)
    for number in range(20):
        audit_record(action=AuditAction.LOGIN, username=f"b{number}")
    assert count_queries(client, url) == few


@pytest.mark.parametrize("role", [Role.DISTRICT_ADMIN, Role.COMMUNITY_STAFF, Role.DISTRICT_LEADER])
def test_business_roles_may_not_read_the_audit_log(client, make_user, role):
    client.force_login(make_user(role))
    response = client.get(reverse("accounts:audit_log"))
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()
    assert AuditLog.objects.filter(
        action=AuditAction.ACCESS_DENIED, object_repr="/accounts/audit/"
    ).exists()
