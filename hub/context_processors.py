from hub.registry import registry


def navigation(request):
    return {"main_nav": sorted(registry.nav, key=lambda entry: entry.order)}
