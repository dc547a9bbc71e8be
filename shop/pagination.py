"""Pages of the catalogue whose cost does not grow with the catalogue."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class BoundedPaginator(Paginator):
    """Counts at most ``limit`` rows and serves pages within them.

    Counting every product on sale on every page grows with the catalogue; past ``limit`` the
    page says « more than … » and asks for a narrower search or filter (a shop, a category, a
    label), which is what a shopper does long before the thousandth product anyway.
    """

    def __init__(self, object_list, per_page, limit: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.limit = limit

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by()[: self.limit].count()

    @property
    def capped(self) -> bool:
        return self.count >= self.limit
