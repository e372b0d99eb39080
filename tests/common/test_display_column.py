"""``display(name)``: a column's choice label, as ``get_<name>_display()`` gives it, in the
reader's language; a value outside the choices as it is; a field without choices by its own
method."""

from django.utils import translation

from cases.models import Case, CaseState
from common.listpage import display


def test_the_label_is_the_model_s_in_the_reader_s_language():
    case = Case(state=CaseState.CLOSED)
    assert display("state")(case) == case.get_state_display() == "已办结"
    with translation.override("en"):
        assert display("state")(case) == case.get_state_display()
        assert display("state")(case) != "已办结"


def test_a_value_outside_the_choices_is_shown_as_it_is():
    assert display("state")(Case(state="someday")) == "someday"
    assert display("state")(Case(state="")) == Case(state="").get_state_display()
