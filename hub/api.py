from allauth.account.models import EmailAddress
from allauth.core import ratelimit
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from anima.cache import shared_cache_available
from hub.adapters import LOGIN_UNAVAILABLE
from hub.api_errors import error_responses
from hub.api_fields import StrictCharField
from hub.roles import user_roles


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = StrictCharField(trim_whitespace=False, style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = StrictCharField()


class MeSerializer(serializers.Serializer):
    email = serializers.EmailField()
    first_name = StrictCharField()
    last_name = StrictCharField()
    roles = serializers.ListField(child=StrictCharField())


class TokenView(APIView):
    """Exchange an e-mail and password for an API token."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, **error_responses(400, 429, 503)},
        auth=[],
    )
    def post(self, request):
        payload = TokenRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        email = payload.validated_data["email"].lower()
        if not shared_cache_available():
            return Response(
                {"detail": str(LOGIN_UNAVAILABLE)}, status=status.HTTP_503_SERVICE_UNAVAILABLE
            )
        if not ratelimit.consume(request, action="login_failed", key=email, dry_run=True):
            return Response(
                {"detail": _("Trop de tentatives. Réessayez dans quelques minutes.")},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        user = authenticate(request, email=email, password=payload.validated_data["password"])
        if user is None:
            ratelimit.consume(request, action="login_failed", key=email)
            return Response(
                {"detail": _("Adresse e-mail ou mot de passe incorrect.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        if not EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists():
            return Response(
                {"detail": _("Confirmez d'abord votre adresse e-mail (lien reçu par e-mail).")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class MeView(APIView):
    """The signed-in account and its roles."""

    @extend_schema(responses={200: MeSerializer, **error_responses(401, 403)})
    def get(self, request):
        user = request.user
        return Response(
            MeSerializer(
                {
                    "email": user.email,
                    "first_name": user.first_name,
                    "last_name": user.last_name,
                    "roles": user_roles(user),
                }
            ).data
        )
