from shop.models.basket import Basket, BasketLine
from shop.models.catalogue import Label, Product, ProductCategory, ProductLabel, Unit, VatRate
from shop.models.merchants import (
    MemberRole,
    Merchant,
    MerchantCategory,
    MerchantMember,
    MerchantStatus,
    OpeningPeriod,
    opening_on,
    validate_siret,
)
from shop.models.orders import (
    MerchantOrder,
    MerchantOrderStatus,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    PaymentMethod,
    PaymentStatus,
    vat_breakdown,
)
from shop.models.support import SupportComment, SupportKind, SupportRequest, SupportStatus

# What the catalogue pages show: any write to these rows bumps the catalogue's version
# (shop.catalogue_version), whose pages are cached under it.
CATALOGUE_MODELS = (Merchant, Product, ProductLabel)

__all__ = [
    "CATALOGUE_MODELS",
    "Basket",
    "BasketLine",
    "Label",
    "MemberRole",
    "Merchant",
    "MerchantCategory",
    "MerchantMember",
    "MerchantOrder",
    "MerchantOrderStatus",
    "MerchantStatus",
    "OpeningPeriod",
    "opening_on",
    "Order",
    "OrderEvent",
    "OrderLine",
    "OrderStatus",
    "PaymentMethod",
    "PaymentStatus",
    "Product",
    "ProductCategory",
    "ProductLabel",
    "SupportComment",
    "SupportKind",
    "SupportRequest",
    "SupportStatus",
    "Unit",
    "VatRate",
    "validate_siret",
    "vat_breakdown",
]
