from django import template

from shop import services

register = template.Library()


@register.simple_tag(takes_context=True)
def basket_count(context) -> int:
    """How many items the visitor's basket holds."""
    request = context.get("request")
    if request is None:
        return 0
    return services.basket_count(request.user, request.session)
