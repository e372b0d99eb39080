"""``choice_column(label, model, name)``: a column's choice label, as ``get_<name>_display()``
gives it, in the reader's language (a page's table is made in its request's language); a
value outside the choices as it is; a blank value as the empty dash on the page and blank in
the export."""

from django.utils import translation

from cases.models import Case, CaseState
from common.listpage import EMPTY, ChoiceColumn, ListPage, choice_column

COLUMN = choice_column("状态", Case, "state", "state", css="state")


def _shown(case: Case) -> tuple[str, object]:
    """The cell on a page and in an export, each made by a page of the current language."""
    return str(COLUMN.content(case, ListPage())), COLUMN.exporter(ListPage())(case)


def test_the_keyword_options_reach_the_column():
    assert isinstance(COLUMN, ChoiceColumn)
    assert (COLUMN.sort, COLUMN.css, COLUMN.field) == (
        "state",
        "state",
        Case._meta.get_field("state"),
    )
    html = choice_column("状态", Case, "state", html=lambda case: "<b>")
    assert html.html is not None and html.sort == ""


def test_the_label_is_the_model_s_in_the_reader_s_language():
    case = Case(state=CaseState.CLOSED)
    assert case.get_state_display() == "已办结"
    assert _shown(case) == ("已办结", "已办结")
    with translation.override("en"):
        english = str(case.get_state_display())
        assert english != "已办结"
        assert _shown(case) == (english, english)


def test_a_value_outside_the_choices_is_shown_as_it_is():
    assert _shown(Case(state="someday")) == ("someday", "someday")


def test_a_blank_value_is_the_empty_dash_on_the_page_and_blank_in_the_export():
    assert _shown(Case(state="")) == (EMPTY, "")
