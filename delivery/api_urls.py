from django.urls import path

from delivery.api import courier, dispatch, public

urlpatterns = [
    path("relay-points/", public.RelayPointList.as_view(), name="api-relay-points"),
    path("slots/", public.SlotList.as_view(), name="api-slots"),
    path("delivery/check-address/", public.CheckAddress.as_view(), name="api-check-address"),
    path("track/<str:token>/", public.Track.as_view(), name="api-track"),
    path("courier/rounds/today/", courier.TodayRound.as_view(), name="api-courier-today"),
    path("courier/stops/<int:pk>/pickup/", courier.PickupAction.as_view(), name="api-stop-pickup"),
    path(
        "courier/stops/<int:pk>/visit-pickup/",
        courier.VisitPickupAction.as_view(),
        name="api-stop-visit-pickup",
    ),
    path(
        "courier/stops/<int:pk>/deliver/", courier.DeliverAction.as_view(), name="api-stop-deliver"
    ),
    path("courier/stops/<int:pk>/fail/", courier.FailAction.as_view(), name="api-stop-fail"),
    path("dispatch/deliveries/", dispatch.DeliveryList.as_view(), name="api-dispatch-deliveries"),
    path("dispatch/rounds/", dispatch.RoundListCreate.as_view(), name="api-dispatch-rounds"),
    path("dispatch/rounds/<int:pk>/", dispatch.RoundDetail.as_view(), name="api-dispatch-round"),
    path(
        "dispatch/rounds/<int:pk>/optimise/",
        dispatch.RoundOptimise.as_view(),
        name="api-dispatch-round-optimise",
    ),
    path(
        "dispatch/proposals/<int:pk>/",
        dispatch.ProposalDetail.as_view(),
        name="api-dispatch-proposal",
    ),
    path(
        "dispatch/proposals/<int:pk>/apply/",
        dispatch.ProposalApply.as_view(),
        name="api-dispatch-proposal-apply",
    ),
    path(
        "dispatch/proposals/<int:pk>/abandon/",
        dispatch.ProposalAbandon.as_view(),
        name="api-dispatch-proposal-abandon",
    ),
    path(
        "dispatch/rounds/<int:pk>/publish/",
        dispatch.RoundPublish.as_view(),
        name="api-dispatch-round-publish",
    ),
]
