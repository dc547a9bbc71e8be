from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from hub.demo import DEMO_PASSWORD, shows_demo_guide
from hub.health import health_report
from hub.models import Structure, StructureKind
from hub.registry import registry
from hub.whole_pages import public_page


def _home_structures():
    return Structure.objects.published().only("name", "slug", "summary", "kind")[:12]


@public_page("hub.home")
def home(request):
    # Callables: the template calls them only when its cached copy is missing.
    context = {
        "structures": _home_structures,
        "sections": lambda: sorted(registry.nav, key=lambda entry: entry.order),
        "demo_guide": shows_demo_guide,
        "demo_password": DEMO_PASSWORD,
    }
    return render(request, "hub/home.html", context)


def _structures(kind: str):
    structures = Structure.objects.published()
    return structures.filter(kind=kind) if kind in StructureKind.values else structures


@public_page("hub.structure_list")
def structure_list(request):
    kind = request.GET.get("type", "")
    # Lazy, the query too: the page is read only when its cached copy is missing.
    page = SimpleLazyObject(
        lambda: Paginator(_structures(kind), 24).get_page(request.GET.get("page"))
    )
    return render(
        request,
        "hub/structure_list.html",
        {"page": page, "kinds": StructureKind.choices, "current_kind": kind},
    )


def structure_detail(request, slug):
    structure = get_object_or_404(Structure.objects.published(), slug=slug)
    return render(request, "hub/structure_detail.html", {"structure": structure})


@never_cache
@require_GET
def healthz(request):
    report, healthy = health_report()
    return JsonResponse(report, status=200 if healthy else 503)


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request, exception):
    # An API client reads JSON, errors included: the schema documents {detail: message}.
    if _is_api(request):
        return JsonResponse({"detail": gettext("Introuvable.")}, status=404)
    return render(request, "404.html", status=404)


def server_error(request):
    if _is_api(request):
        return JsonResponse({"detail": gettext("Erreur du serveur.")}, status=500)
    return render(request, "500.html", status=500)
