"""Passes of Le Lieu Commun bought online (day pass, 10-day card, monthly membership)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from coworking.services import passes
from hub.services import Conflict, online_payment_available


def pass_offers(request):
    context = {"offers": passes.offers_for(request.user), "online": online_payment_available()}
    return render(request, "coworking/passes.html", context)


@login_required
@require_POST
def buy_pass(request, pk):
    try:
        return redirect(passes.buy_pass(request.user, pk))
    except Conflict as conflict:
        messages.error(request, conflict.message)
        return redirect("coworking:passes")
