"""The API's parsers: bounded JSON (size and nesting checked before parsing) and no forbidden
text (``hub.request_text``) in any body, JSON or form."""

import re

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import parsers, status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.utils import json

from hub.request_text import MESSAGE, has_forbidden_text

# A string (escapes included) or a bracket: brackets inside strings do not nest.
JSON_TOKENS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("Le corps de la requête est trop volumineux.")
    default_code = "payload_too_large"


def _read_bounded(stream, request) -> bytes:
    limit = settings.API_MAX_JSON_BYTES
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        raise PayloadTooLarge()
    body = stream.read(limit + 1)
    if len(body) > limit:
        raise PayloadTooLarge()
    return body


def _check_depth(body: bytes) -> None:
    depth, limit = 0, settings.API_MAX_JSON_DEPTH
    for token in JSON_TOKENS.finditer(body):
        bracket = token.group()
        if bracket in (b"[", b"{"):
            depth += 1
            if depth > limit:
                raise ParseError(_("Le JSON est imbriqué trop profondément."))
        elif bracket in (b"]", b"}"):
            depth -= 1


def _refuse_forbidden_text(data) -> None:
    if has_forbidden_text(data):
        raise ParseError(MESSAGE)


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        body = _read_bounded(stream, parser_context["request"])
        _check_depth(body)
        try:
            text = body.decode(encoding)
            parse_constant = json.strict_constant if self.strict else None
            data = json.loads(text, parse_constant=parse_constant)
        except (UnicodeDecodeError, ValueError) as error:
            raise ParseError(_("Le corps de la requête n'est pas du JSON valide.")) from error
        _refuse_forbidden_text(data)
        return data


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        _refuse_forbidden_text(data)
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        _refuse_forbidden_text(parsed.data)
        _refuse_forbidden_text([upload.name for upload in parsed.files.values()])
        return parsed
