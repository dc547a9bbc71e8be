"""drf-spectacular post-processing: the answers every operation can give, declared once, and
the links from an operation that creates something to those that read and act on it.

DRF answers some statuses on its own, whatever the view: 401 to a missing or bad token, 403
when a permission refuses, 404 for an unknown object or a page past the end, 400 for a query
or body it cannot parse, 415 for a body in a content type it does not read. Declaring them
here keeps each view's ``extend_schema`` to the answers of its own rules.
"""

import re

from hub.api_errors import ERROR_DESCRIPTIONS

ERROR_SCHEMA = {
    "type": "object",
    "description": "{detail: message} ou {champ: [messages]}",
    "properties": {"detail": {"type": "string"}},
}


def _error(code: int) -> dict:
    return {
        "description": ERROR_DESCRIPTIONS[code],
        "content": {"application/json": {"schema": ERROR_SCHEMA}},
    }


def _statuses(path: str, operation: dict) -> set[int]:
    security = operation.get("security")
    parameters = operation.get("parameters", [])
    query = [p for p in parameters if p["in"] == "query"]
    statuses = set()
    if security:
        statuses.add(401)  # a bad token is refused even where signing in is optional
    if security and {} not in security:
        statuses.add(403)
    if "{" in path or any(p["name"] == "page" for p in query):
        statuses.add(404)
    if query or "requestBody" in operation:
        statuses.add(400)
    if "requestBody" in operation:
        statuses.add(415)
    return statuses


# What a client does next with what it created: create -> read -> act -> cancel (OpenAPI
# links, followed by schemathesis' stateful phase). Keys: (path, method, status).
API = "/api/v1"
LINKS = {
    (f"{API}/basket/lines/", "post", "201"): [
        (f"{API}/basket/lines/{{id}}/", "patch"),
        (f"{API}/basket/lines/{{id}}/", "delete"),
    ],
    (f"{API}/orders/", "post", "201"): [
        (f"{API}/orders/{{id}}/", "get"),
        (f"{API}/orders/{{id}}/pay/", "post"),
        (f"{API}/orders/{{id}}/cancel/", "post"),
    ],
    (f"{API}/bookings/", "post", "201"): [(f"{API}/bookings/{{id}}/cancel/", "post")],
    (f"{API}/dispatch/rounds/", "post", "201"): [
        (f"{API}/dispatch/rounds/{{id}}/", "get"),
        (f"{API}/dispatch/rounds/{{id}}/", "patch"),
        (f"{API}/dispatch/rounds/{{id}}/optimise/", "post"),
        (f"{API}/dispatch/rounds/{{id}}/publish/", "post"),
        (f"{API}/dispatch/rounds/{{id}}/", "delete"),
    ],
    (f"{API}/merchant/products/", "post", "201"): [(f"{API}/merchant/products/{{id}}/", "patch")],
}


def _operation_ref(path: str, method: str) -> str:
    return "#/paths/" + path.replace("~", "~0").replace("/", "~1") + "/" + method


def _link_name(path: str, method: str) -> str:
    """A name OpenAPI accepts (letters, digits, ``._-``): ``post_orders_id_cancel``."""
    words = re.findall(r"[a-z]+", path.removeprefix(API).replace("{id}", "id"))
    return "_".join([method, *words])


def _declare_links(paths: dict) -> None:
    for (path, method, status), targets in LINKS.items():
        response = paths.get(path, {}).get(method, {}).get("responses", {}).get(status)
        if response is None:
            continue
        response["links"] = {
            _link_name(target, target_method): {
                "operationRef": _operation_ref(target, target_method),
                "parameters": {"id": "$response.body#/id"},
            }
            for target, target_method in targets
            if target_method in paths.get(target, {})
        }


def declare_common_responses(result, generator, request, public):
    paths = result.get("paths", {})
    for path, operations in paths.items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for code in sorted(_statuses(path, operation)):
                responses.setdefault(str(code), _error(code))
    _declare_links(paths)
    return result
