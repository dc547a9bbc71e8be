"""Pages of the coworking team: applications to review, a resource's planning with names."""

from datetime import time, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from coworking import services
from coworking.forms import AcceptForm, ReviewForm
from coworking.models import (
    Application,
    ApplicationStatus,
    Booking,
    ProofStatus,
    Resource,
    SolidarityProof,
)
from coworking.services.schedule import at
from coworking.views.access import coworking_staff_required
from coworking.views.booking import _monday
from hub.services import Conflict, absolute_url


@coworking_staff_required
def staff_home(request):
    return render(
        request,
        "coworking/staff_home.html",
        {
            "to_review": Application.objects.filter(
                status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW]
            ).count(),
            "proofs": SolidarityProof.objects.filter(status=ProofStatus.PENDING).count(),
            "resources": Resource.objects.filter(is_active=True).select_related("space"),
        },
    )


@coworking_staff_required
def staff_applications(request):
    applications = Application.objects.select_related("applicant")
    status = request.GET.get("etat", "")
    if status in ApplicationStatus.values:
        applications = applications.filter(status=status)
    page = Paginator(applications, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "coworking/staff_applications.html",
        {"page": page, "statuses": ApplicationStatus.choices, "current": status},
    )


@coworking_staff_required
def staff_application(request, pk):
    application = get_object_or_404(Application.objects.select_related("applicant"), pk=pk)
    action = request.POST.get("action")
    review = ReviewForm(request.POST if action == "review" else None, prefix="review")
    accept = AcceptForm(request.POST if action == "accept" else None, prefix="accept")
    form = {"review": review, "accept": accept}.get(action)
    if form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            if action == "accept":
                services.accept_application(
                    application,
                    request.user,
                    data["resource"],
                    data["start_date"],
                    data["end_date"],
                    data["comment"],
                )
            else:
                services.review_application(
                    application,
                    request.user,
                    data["status"],
                    data["comment"],
                    data["committee_date"],
                )
        except ValidationError as error:
            form.add_error(None, error.messages)
        except Conflict as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Candidature mise à jour ; la personne est prévenue."))
            return redirect("coworking:staff_application", pk=application.pk)
    return render(
        request,
        "coworking/staff_application.html",
        {
            "application": application,
            "changes": application.changes.select_related("changed_by"),
            "agreement": getattr(application, "agreement", None),
            "review": review,
            "accept": accept,
        },
    )


@coworking_staff_required
def staff_resource(request, pk):
    resource = get_object_or_404(Resource.objects.select_related("space"), pk=pk)
    monday = _monday(request.GET.get("du"))
    bookings = (
        Booking.objects.active()
        .filter(resource=resource)
        .overlapping(at(monday, time.min), at(monday + timedelta(days=7), time.min))
        .select_related("user")
        .order_by("start")
    )
    return render(
        request,
        "coworking/staff_resource.html",
        {
            "resource": resource,
            "bookings": bookings,
            "monday": monday,
            "previous": monday - timedelta(days=7),
            "next": monday + timedelta(days=7),
            "feed_url": absolute_url(
                reverse("coworking:resource_feed", args=[resource.ical_token])
            ),
        },
    )
