import pytest
from django.utils import translation

from buyers.phones import country_name, phone_help_text


@pytest.mark.parametrize(
    "region, expected",
    [
        (
            "CO",
            "Numbers from Colombia may omit +57, e.g. 321 1234567; "
            "others need their country code.",
        ),
        (
            "de",
            "Numbers from Germany may omit +49, e.g. 01512 3456789; "
            "others need their country code.",
        ),
        ("XX", "Include the country code, e.g. +54 9 11 2345 6789."),
    ],
)
def test_phone_help_text_names_the_region_and_an_example(settings, region, expected):
    settings.PHONE_REGION = region

    assert phone_help_text() == expected


@pytest.mark.parametrize(
    "language, region, expected",
    [
        ("en", "US", "United States"),
        ("es", "US", "Estados Unidos"),
        ("es", "DE", "Alemania"),
        ("es-co", "KR", "Corea del Sur"),
        # A phone region that ISO does not list as a country.
        ("es", "XK", "XK"),
    ],
)
def test_country_name_is_in_the_active_language(language, region, expected):
    with translation.override(language):
        assert country_name(region) == expected
