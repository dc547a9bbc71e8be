"""The public tracking page: status only, behind an unguessable link."""

from django.http import Http404
from django.shortcuts import render

from delivery import services


def track(request, token):
    tracking = services.tracking_by_token(token)
    if tracking is None:
        raise Http404
    response = render(request, "delivery/track.html", {"tracking": tracking})
    # The token is the only key to this page: never send it on as a referrer.
    response["Referrer-Policy"] = "no-referrer"
    return response
