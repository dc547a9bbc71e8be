from django.urls import path

from hub import views

app_name = "hub"

urlpatterns = [
    path("", views.home, name="home"),
    path("structures/", views.structure_list, name="structure_list"),
    path("structures/<slug:slug>/", views.structure_detail, name="structure_detail"),
]
