"""One cleaning for text that comes with a request: no NUL byte, no lone surrogate.

PostgreSQL refuses a NUL in text, and a lone surrogate cannot be encoded (nor stored, nor
written in an error message that repeats it): either gave a 500. They are refused at the edge,
with a message that does not repeat the value: page forms and query strings by
``RequestTextMiddleware``, API bodies by the API's parsers (``hub.api_parsers``).
"""

import re
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

FORBIDDEN = re.compile("[\x00\ud800-\udfff]")
MESSAGE = _(
    "La requête contient un caractère interdit (caractère nul ou Unicode invalide) : "
    "corrigez le texte saisi et réessayez."
)


def has_forbidden_text(value: Any) -> bool:
    """Whether a string, or any key or string inside ``value``, holds a NUL or a lone surrogate."""
    if isinstance(value, str):
        return FORBIDDEN.search(value) is not None
    if isinstance(value, MultiValueDict):
        return any(has_forbidden_text(k) or has_forbidden_text(v) for k, v in value.lists())
    if isinstance(value, dict):
        return any(has_forbidden_text(k) or has_forbidden_text(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(has_forbidden_text(item) for item in value)
    return False


def _request_texts(request: HttpRequest) -> list[Any]:
    texts = [request.path, request.GET]
    if request.method == "POST":
        texts += [request.POST, [upload.name for upload in request.FILES.values()]]
    return texts


def refusal(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(MESSAGE)}, status=400)
    return render(request, "400.html", {"message": MESSAGE}, status=400)


class RequestTextMiddleware:
    """A 400 for any path, query parameter, form field or file name with forbidden text."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(has_forbidden_text(text) for text in _request_texts(request)):
            return refusal(request)
        return self.get_response(request)
