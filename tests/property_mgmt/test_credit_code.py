import pytest
from django.core.exceptions import ValidationError

from property_mgmt.credit_code import check_character, is_valid_credit_code, validate_credit_code


def test_check_character_of_a_published_code() -> None:
    # given the code of a real registration (GB 32100 example: 91350100M000100Y43)
    assert check_character("91350100M000100Y4") == "3"
    assert is_valid_credit_code("91350100M000100Y43")


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91350100M000100Y4", "18 位"),
        ("91350100M000100Y44", "校验位不符"),
        ("91350100M0001O0Y43", "无效字符"),
        ("91ABCDEFM000100Y43", "行政区划"),
    ],
)
def test_bad_codes_are_refused_with_the_reason(code: str, message: str) -> None:
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code)
    assert message in str(exc.value.message_dict["credit_code"])


def test_spaces_and_lower_case_are_normalised() -> None:
    assert validate_credit_code(" 91350100m000100y43 ") == "91350100M000100Y43"
