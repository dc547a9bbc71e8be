"""Template filters for French formatting shared by every app."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

from hub import formatting, fragments
from hub.phones import shown

register = template.Library()

NBSP = "\u00a0"


@register.filter
def money(value) -> str:
    """12.5 -> « 12,50 € » (French decimal comma, non-breaking spaces)."""
    if value in (None, ""):
        return ""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    amount = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    formatted = number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)
    return f"{formatted}{NBSP}€"


@register.filter
def cents(value) -> str:
    """1250 (integer cents, as payments keep amounts) -> « 12,50 € »."""
    if value in (None, ""):
        return ""
    return money(Decimal(int(value)) / 100)


@register.filter
def percent(value, decimals: int = 0) -> str:
    """0.256 -> « 26 % »."""
    if value in (None, ""):
        return ""
    scaled = (Decimal(value) * 100).quantize(Decimal(1).scaleb(-int(decimals)), ROUND_HALF_UP)
    formatted = number_format(scaled, decimal_pos=int(decimals), use_l10n=True)
    return f"{formatted}{NBSP}%"


@register.filter
def phone(value) -> str:
    """A stored phone number the French way: « 06 12 34 56 78 »."""
    return shown(value)


@register.filter
def elide(name, word: str) -> str:
    """``{{ shop|elide:"de" }}`` → « d'Épicerie », « de Boulangerie » (see hub.formatting)."""
    return formatting.elide(word, name)


@register.filter
def kg(grams) -> str:
    """Grams as « 1,2 kg »: the one rounding of weights on every page (hub.formatting)."""
    return formatting.kilograms(grams)


def _rendering_for_visitor(nodelist, context):
    """What renders the kept part again with one visitor's values (CSRF token, address)."""

    def render(visitor_context: dict) -> str:
        with context.push(visitor_context):
            return nodelist.render(context)

    return render


class FragmentNode(template.Node):
    def __init__(self, nodelist, values, name: str):
        self.nodelist, self.values, self.name = nodelist, values, name

    def render(self, context) -> str:
        values = self.values.resolve(context)
        request = context.get("request")
        if values is None or request is None:
            return self.nodelist.render(context)

        render = _rendering_for_visitor(self.nodelist, context)

        return fragments.cached_fragment(request, self.name, values, render)


@register.tag
def fragment(parser, token):
    """``{% fragment values %}…{% endfragment %}``: the enclosed part from the cache while
    ``values`` (every value it shows, computed by the view from the rows it read; see
    ``hub.fragments``) are the same; rendered every time when ``values`` is None. Inside,
    ``csrf_token`` and ``next_path`` are markers filled per visitor."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% fragment values %} takes one argument.")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    name = f"{parser.origin.template_name}:{token.lineno}"
    return FragmentNode(nodelist, parser.compile_filter(bits[1]), name)


class PagePartNode(template.Node):
    def __init__(self, nodelist, name: str):
        self.nodelist, self.name = nodelist, name

    def render(self, context) -> str:
        request = context.get("request")
        if request is None:
            return self.nodelist.render(context)

        render = _rendering_for_visitor(self.nodelist, context)

        return fragments.page_part(request, self.name, render)


@register.tag
def page_part(parser, token):
    """``{% page_part name %}…{% endpage_part %}``: a part of a page kept whole
    (``hub.fragments.CachedPage``), served again as ``parts.name`` by the view's layout for
    kept pages. Inside, ``csrf_token`` and ``next_path`` are markers filled per visitor;
    nothing else may vary per visitor."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% page_part name %} takes one name.")
    nodelist = parser.parse(("endpage_part",))
    parser.delete_first_token()
    return PagePartNode(nodelist, bits[1].strip("\"'"))


class MemoNode(template.Node):
    def __init__(self, nodelist, values, name: str):
        self.nodelist, self.values, self.name = nodelist, values, name

    def render(self, context) -> str:
        request = context.get("request")
        if request is None:
            return self.nodelist.render(context)

        render = _rendering_for_visitor(self.nodelist, context)

        values = [value.resolve(context) for value in self.values]
        return fragments.memoized_fragment(request, self.name, values, render)


@register.tag
def memo(parser, token):
    """``{% memo [values…] %}…{% endmemo %}``: the enclosed part rendered once per process,
    language and ``values`` (layout that changes only with the code). Inside, ``csrf_token``
    and ``next_path`` are markers filled per visitor; nothing else may vary per visitor."""
    bits = token.split_contents()
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    name = f"{parser.origin.template_name}:{token.lineno}"
    return MemoNode(nodelist, [parser.compile_filter(bit) for bit in bits[1:]], name)
