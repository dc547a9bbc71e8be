from django.urls import path

from hub import api

urlpatterns = [
    path("auth/token/", api.TokenView.as_view(), name="api-token"),
    path("me/", api.MeView.as_view(), name="api-me"),
]
