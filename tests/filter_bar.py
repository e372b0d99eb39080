"""The filter bar of a list page, as its HTML (for the tests of kept bars, common.fragments)."""

from django.test import Client


def filter_bar(client: Client, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    start = html.index('<form method="get" class="filters')
    return html[start : html.index("</form>", start)]
