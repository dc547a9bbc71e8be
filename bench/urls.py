from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    """The cost of Django itself: routing and middleware, no database, no template."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), path("", include("anima.urls"))]
