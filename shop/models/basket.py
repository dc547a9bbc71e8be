from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shop.models.catalogue import Product, line_label


class Basket(models.Model):
    """A shopper's basket: tied to the account, or to the browser session before sign-in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="basket",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("panier")
        verbose_name_plural = _("paniers")
        indexes = [models.Index(fields=["updated_at"])]

    def __str__(self):
        return f"Panier {self.pk}"


class BasketLine(models.Model):
    basket = models.ForeignKey(Basket, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField(_("quantité"))
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ligne de panier")
        verbose_name_plural = _("lignes de panier")
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["basket", "product"], name="basket_line_once"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="basket_line_quantity"),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.product_id}"

    @property
    def total(self):
        return self.product.price * self.quantity

    @property
    def label(self) -> str:
        return line_label(self.quantity, self.product.unit, self.product.name)
