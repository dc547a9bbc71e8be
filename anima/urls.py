"""Root URLs. Each app's ``urls.py`` (pages) and ``api_urls.py`` (under /api/v1/) are included
when present, so an app brings its pages and endpoints just by existing."""

from importlib.util import find_spec

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from hub import views as hub_views
from hub.views.api_docs import ApiDocsView

LOCAL_APPS = ("hub", "shop", "delivery", "coworking", "insertion")

# Admin sign-in goes through allauth's login, which carries its rate limits.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Anima — administration"
admin.site.site_title = "Anima"
admin.site.index_title = "Gestion du pôle"


def _app_modules(suffix: str) -> list[str]:
    return [f"{app}.{suffix}" for app in LOCAL_APPS if find_spec(f"{app}.{suffix}")]


api_patterns = [path("", include(module)) for module in _app_modules("api_urls")]

urlpatterns = [
    path("healthz", hub_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("comptes/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include(api_patterns)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    *[path("", include(module)) for module in _app_modules("urls")],
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "hub.views.page_not_found"
handler500 = "hub.views.server_error"
