from django.urls import path

from coworking import api

urlpatterns = [
    path("resources/", api.ResourceList.as_view(), name="coworking-resources"),
    path(
        "resources/<int:pk>/availability/",
        api.AvailabilityView.as_view(),
        name="coworking-availability",
    ),
    path("bookings/", api.BookingListCreate.as_view(), name="coworking-bookings"),
    path("bookings/<int:pk>/cancel/", api.BookingCancel.as_view(), name="coworking-cancel"),
]
