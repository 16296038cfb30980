"""JWT tokens bound to the organizer's current password and active state.

Each token carries a short HMAC fingerprint of the user's password hash.
Any password change (web page, admin, API, set_password + save) changes the
hash, so tokens issued before it stop matching: refused on refresh and on
authentication, with no signal or hook to keep in step.
"""

from django.contrib.auth import get_user_model
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt import authentication, tokens
from rest_framework_simplejwt import settings as jwt_settings
from rest_framework_simplejwt.exceptions import AuthenticationFailed
from rest_framework_simplejwt.settings import api_settings

FINGERPRINT_CLAIM = "pwd"


def password_fingerprint(user):
    """16 hex digits keyed with SECRET_KEY: reveals nothing of the hash."""
    digest = salted_hmac(
        "accounts.tokens.password", user.password, algorithm="sha256"
    ).hexdigest()
    return digest[:16]


def check_token_user(token, user):
    """Refuse a token whose user is gone, inactive or changed their password."""
    if user is None or not user.is_active:
        raise AuthenticationFailed(
            _("This account is inactive or no longer exists."), code="user_inactive"
        )
    claim = str(token.get(FINGERPRINT_CLAIM, ""))
    if not constant_time_compare(claim, password_fingerprint(user)):
        raise AuthenticationFailed(
            _("The password has changed since this token was issued; log in again."),
            code="password_changed",
        )


def token_user(token):
    user_id = token.get(api_settings.USER_ID_CLAIM)
    return (
        get_user_model().objects.filter(**{api_settings.USER_ID_FIELD: user_id}).first()
    )


class AccessToken(tokens.AccessToken):
    @property
    def lifetime(self):
        # Read at each use from the module, whose api_settings is replaced
        # when SIMPLE_JWT changes, not frozen when the class is defined.
        return jwt_settings.api_settings.ACCESS_TOKEN_LIFETIME


class RefreshToken(tokens.RefreshToken):
    access_token_class = AccessToken

    @property
    def lifetime(self):
        return jwt_settings.api_settings.REFRESH_TOKEN_LIFETIME

    @classmethod
    def for_user(cls, user):
        token = super().for_user(user)
        # Copied into the access tokens made from this refresh token.
        token[FINGERPRINT_CLAIM] = password_fingerprint(user)
        return token


class JWTAuthentication(authentication.JWTAuthentication):
    """Bearer access tokens, refused once the password changed."""

    def get_user(self, validated_token):
        user = super().get_user(validated_token)
        check_token_user(validated_token, user)
        return user
