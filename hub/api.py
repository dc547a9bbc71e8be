from allauth.account.models import EmailAddress
from allauth.core import ratelimit
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from hub.exceptions import Conflict
from hub.services import user_roles


def exception_handler(exc, context):
    """DRF's handler, plus domain errors: Django ValidationError -> 400, Conflict -> 409."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Conflict):
        body = {"detail": exc.message}
        if exc.field:
            body["field"] = exc.field
        return Response(body, status=status.HTTP_409_CONFLICT)
    return drf_exception_handler(exc, context)


ERROR_DESCRIPTIONS = {
    400: "Requête invalide : {champ: [messages]} ou {detail: message}.",
    401: "Authentification requise ou jeton invalide.",
    403: "Action non permise pour ce compte.",
    404: "Introuvable (ou pas à vous).",
    409: "Conflit avec l'état actuel (stock, capacité, statut) : {detail: message}.",
    429: "Trop de requêtes : {detail: message}.",
}


def error_responses(*status_codes: int) -> dict[int, OpenApiResponse]:
    """OpenAPI descriptions of the error bodies this API sends, for ``extend_schema``."""
    return {
        code: OpenApiResponse(response=OpenApiTypes.OBJECT, description=ERROR_DESCRIPTIONS[code])
        for code in status_codes
    }


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


class MeSerializer(serializers.Serializer):
    email = serializers.EmailField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())


class TokenView(APIView):
    """Exchange an e-mail and password for an API token."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, **error_responses(400, 429)},
        auth=[],
    )
    def post(self, request):
        payload = TokenRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        email = payload.validated_data["email"].lower()
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
