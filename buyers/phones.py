"""Phone numbers: parsed with phonenumbers, stored in E.164."""

import functools
import gettext

import phonenumbers
import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext as _

from rafflesite.lib.text import mask_phone


def normalize_phone(raw, region=None):
    """Return `raw` in E.164 ("+573000000001") or raise ValidationError.

    "00" as an international prefix is read like "+", and a local number is
    read in the configured region (PHONE_REGION).
    """
    text = (raw or "").strip()
    if not text:
        return ""
    if text.startswith("00"):
        text = "+" + text[2:]
    text = text.replace("(+", "+").replace("(", " ").replace(")", " ")
    try:
        parsed = phonenumbers.parse(text, region or settings.PHONE_REGION)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        raise ValidationError(
            _("Enter a valid phone number, e.g. +54 9 11 2345 6789."),
            code="invalid_phone",
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164):
    """A stored phone written for people: "+57 300 0000001"."""
    if not e164:
        return ""
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(
        parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )


def masked_phone(e164):
    return mask_phone(format_phone(e164))


def phone_query(text):
    """E.164 form of a search text when it reads as a phone, else None."""
    try:
        return normalize_phone(text)
    except ValidationError:
        return None


def phone_help_text(region=None):
    """What a phone field tells the organizer they may type, in the active
    language: the default region's country, its code and an example."""
    region = (region or settings.PHONE_REGION).upper()
    code = phonenumbers.country_code_for_region(region)
    if not code:
        return _("Include the country code, e.g. +54 9 11 2345 6789.")
    example = phonenumbers.example_number_for_type(
        region, phonenumbers.PhoneNumberType.MOBILE
    ) or phonenumbers.example_number(region)
    return _(
        "Numbers from %(country)s may omit +%(code)s, e.g. %(example)s; "
        "others need their country code."
    ) % {
        "country": country_name(region),
        "code": code,
        "example": phonenumbers.format_number(
            example, phonenumbers.PhoneNumberFormat.NATIONAL
        ),
    }


def country_name(region):
    """The usual name of the country `region` ("CO") in the active language."""
    country = pycountry.countries.get(alpha_2=region)
    if country is None:
        # A few phone regions are no ISO country (AC, TA, XK).
        return region
    name = getattr(country, "common_name", None) or country.name
    return _country_names(to_locale(get_language() or "en")).gettext(name)


@functools.cache
def _country_names(locale):
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[locale], fallback=True
    )
