"""How the API answers errors: domain exceptions as HTTP codes, and their OpenAPI bodies."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from hub.exceptions import Conflict


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
    415: "Type de contenu non pris en charge (JSON attendu) : {detail: message}.",
    409: "Conflit avec l'état actuel (stock, capacité, statut) : {detail: message}.",
    429: "Trop de requêtes : {detail: message}.",
    503: "Service momentanément indisponible, réessayer plus tard : {detail: message}.",
}


def error_responses(*status_codes: int) -> dict[int, OpenApiResponse]:
    """OpenAPI descriptions of the error bodies this API sends, for ``extend_schema``."""
    return {
        code: OpenApiResponse(response=OpenApiTypes.OBJECT, description=ERROR_DESCRIPTIONS[code])
        for code in status_codes
    }
