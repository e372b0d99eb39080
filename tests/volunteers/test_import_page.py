"""Every volunteers import page is the shared import page: template, formats, limits, form."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "column"),
    [
        ("/volunteers/import/units/", "报到年度"),
        ("/volunteers/import/members/", "服务领域"),
        ("/volunteers/service/import/volunteers/", "加入队伍"),
        ("/volunteers/service/import/attendance/", "服务时长"),
    ],
)
def test_the_import_page_renders_the_shared_include(client, make_user, tree, url, column):
    client.force_login(make_user("community_staff"))
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "includes/import_body.html" in [t.name for t in response.templates]
    assert 'class="import-formats"' in page and column in page
    assert "一次最多 5000 行、60 列" in page and "解压后不超过 50 MB" in page
    assert 'href="?template=1"' in page
