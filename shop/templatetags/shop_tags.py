from django import template

from hub.services import keeping_whole_page
from shop import services

register = template.Library()


@register.simple_tag(takes_context=True)
def basket_count(context) -> int | str:
    """How many items the visitor's basket holds (a marker in a page kept whole, filled for
    each visitor: ``shop.services.catalogue_whole_page``)."""
    request = context.get("request")
    if request is None:
        return 0
    if keeping_whole_page(request):
        return services.BASKET_COUNT_MARKER
    return services.basket_count(request.user, request.session)
