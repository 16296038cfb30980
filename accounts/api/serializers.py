from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.serializers import TokenObtainPairSerializer
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import (
    BlacklistedToken,
    OutstandingToken,
)
from rest_framework_simplejwt.utils import datetime_from_epoch

from accounts import throttle
from accounts.tokens import RefreshToken, check_token_user, token_user


class RegisterSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    email = serializers.CharField(max_length=254)
    password = serializers.CharField(
        max_length=1024, write_only=True, trim_whitespace=False
    )


class PasswordChangeSerializer(serializers.Serializer):
    old_password = serializers.CharField(
        max_length=1024, write_only=True, trim_whitespace=False
    )
    new_password = serializers.CharField(
        max_length=1024, write_only=True, trim_whitespace=False
    )


class OrganizerSerializer(serializers.Serializer):
    username = serializers.CharField()
    email = serializers.CharField()
    date_joined = serializers.DateTimeField()


class TokenObtainSerializer(TokenObtainPairSerializer):
    """Log in; failures count with the web log-in's (accounts.throttle)."""

    token_class = RefreshToken

    def validate(self, attrs):
        request = self.context["request"]
        username = attrs[self.username_field]
        with throttle.counted_login(request, username, AuthenticationFailed):
            return super().validate(attrs)


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


class RefreshSerializer(serializers.Serializer):
    refresh = serializers.CharField()


class TokenRefreshSerializer(RefreshSerializer):
    """Trade a refresh token for a new pair; the old one is blacklisted."""

    def validate(self, attrs):
        old = RefreshToken(attrs["refresh"])
        user = token_user(old)
        check_token_user(old, user)
        with transaction.atomic():
            blacklist_once(old)
            new = RefreshToken.for_user(user)
        return {"access": str(new.access_token), "refresh": str(new)}


class LogoutSerializer(RefreshSerializer):
    def validate(self, attrs):
        blacklist_once(RefreshToken(attrs["refresh"]))
        return {}


def blacklist_once(token):
    """Blacklist a refresh token, refusing it if someone just did.

    Two requests refreshing one token at the same moment both pass the
    blacklist check; the unique row decides which one may go on.
    """
    outstanding, _created = OutstandingToken.objects.get_or_create(
        jti=token[api_settings.JTI_CLAIM],
        defaults={
            "token": str(token),
            "expires_at": datetime_from_epoch(token["exp"]),
        },
    )
    _row, created = BlacklistedToken.objects.get_or_create(token=outstanding)
    if not created:
        raise InvalidToken(_("Token is blacklisted"))
