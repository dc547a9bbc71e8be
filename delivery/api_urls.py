from django.urls import path

from delivery import api

urlpatterns = [
    path("relay-points/", api.RelayPointList.as_view(), name="api-relay-points"),
    path("slots/", api.SlotList.as_view(), name="api-slots"),
    path("delivery/check-address/", api.CheckAddress.as_view(), name="api-check-address"),
]
