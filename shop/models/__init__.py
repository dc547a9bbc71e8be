from shop.models.basket import Basket, BasketLine
from shop.models.catalogue import Label, Product, ProductCategory, ProductLabel, Unit, VatRate
from shop.models.merchants import (
    MemberRole,
    Merchant,
    MerchantCategory,
    MerchantMember,
    MerchantStatus,
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

__all__ = [
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
