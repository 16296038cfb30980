from django.utils.translation import ngettext
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError

from accounts import throttle
from accounts.services import change_password, register_organizer
from accounts.tokens import RefreshToken
from rafflesite.api import ErrorSerializer, FieldErrorsSerializer
from rafflesite.api_schema import login_paused

from .serializers import (
    LogoutSerializer,
    OrganizerSerializer,
    PasswordChangeSerializer,
    RefreshSerializer,
    RegisterSerializer,
    TokenObtainSerializer,
    TokenPairSerializer,
    TokenRefreshSerializer,
)

BAD_TOKEN = OpenApiResponse(
    ErrorSerializer, description="Malformed, expired, revoked or stale token."
)


class AuthThrottle(ScopedRateThrottle):
    """Rate of the `auth` scope, read from the settings at each request.

    Callers are told apart by accounts.throttle.client_address, as the
    failed logins are.
    """

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        return throttle.client_address(request)


class LoginPausedError(Throttled):
    """A 429 for a user name paused after failed logins, with Retry-After."""

    def __init__(self, paused):
        minutes = paused.minutes
        detail = ngettext(
            "Too many failed logins for this user name. Wait %(minutes)s minute "
            "and try again.",
            "Too many failed logins for this user name. Wait %(minutes)s "
            "minutes and try again.",
            minutes,
        ) % {"minutes": minutes}
        super().__init__(detail=detail, code="login_paused")
        # Read by DRF's exception handler for the Retry-After header.
        self.wait = paused.seconds


class PublicView(APIView):
    """Auth endpoints: no token needed, and a stale one is not in the way."""

    authentication_classes = []
    permission_classes = [AllowAny]

    def get_authenticate_header(self, request):
        # A refused token or password is a 401 with its challenge, as DRF
        # answers 403 when a view has no authenticator of its own.
        return 'Bearer realm="api"'

    def valid_data(self, serializer_class):
        serializer = serializer_class(
            data=self.request.data, context={"request": self.request}
        )
        try:
            serializer.is_valid(raise_exception=True)
        except TokenError as error:
            raise InvalidToken(str(error)) from error
        return serializer.validated_data


class RegisterView(PublicView):
    throttle_classes = [AuthThrottle]
    throttle_scope = "auth"

    @extend_schema(
        summary="Register as an organizer",
        request=RegisterSerializer,
        responses={201: OrganizerSerializer},
        auth=[],
    )
    def post(self, request):
        data = self.valid_data(RegisterSerializer)
        user = register_organizer(**data)
        return Response(OrganizerSerializer(user).data, status=status.HTTP_201_CREATED)


class TokenView(PublicView):
    throttle_classes = [AuthThrottle]
    throttle_scope = "auth"

    @extend_schema(
        summary="Log in: trade username and password for a token pair",
        request=TokenObtainSerializer,
        responses={
            200: TokenPairSerializer,
            401: OpenApiResponse(ErrorSerializer, description="Wrong credentials."),
            429: OpenApiResponse(ErrorSerializer, description=login_paused()),
        },
        auth=[],
    )
    def post(self, request):
        try:
            return Response(self.valid_data(TokenObtainSerializer))
        except throttle.LoginPaused as paused:
            raise LoginPausedError(paused) from paused


class TokenRefreshView(PublicView):
    @extend_schema(
        summary="Trade a refresh token for a new pair (the old one is revoked)",
        request=RefreshSerializer,
        responses={200: TokenPairSerializer, 401: BAD_TOKEN},
        auth=[],
    )
    def post(self, request):
        return Response(self.valid_data(TokenRefreshSerializer))


class LogoutView(PublicView):
    @extend_schema(
        summary="Log out: revoke a refresh token",
        request=RefreshSerializer,
        responses={
            204: None,
            400: FieldErrorsSerializer,
            401: BAD_TOKEN,
        },
        auth=[],
    )
    def post(self, request):
        self.valid_data(LogoutSerializer)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordView(APIView):
    @extend_schema(
        summary="Change your password; every earlier token stops working",
        request=PasswordChangeSerializer,
        responses={200: TokenPairSerializer},
    )
    def post(self, request):
        serializer = PasswordChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = change_password(user=request.user, **serializer.validated_data)
        refresh = RefreshToken.for_user(user)
        return Response({"access": str(refresh.access_token), "refresh": str(refresh)})
