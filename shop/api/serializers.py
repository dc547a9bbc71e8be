from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

import delivery.services as delivery
from hub.services import StrictCharField, StrictModelSerializer
from shop.models import (
    BasketLine,
    Label,
    Merchant,
    MerchantOrder,
    Order,
    OrderLine,
    PaymentMethod,
    Product,
    ProductCategory,
    Unit,
    VatRate,
)


@extend_schema_field({"type": "string", "enum": ["5.5", "10", "20"], "example": "5.5"})
class VatRateField(serializers.Field):
    """A VAT rate as a decimal string: « 5.5 », « 10 » or « 20 »."""

    def to_representation(self, value) -> str:
        return format(Decimal(value).normalize(), "f")

    def to_internal_value(self, data):
        if str(data) not in {str(v) for v in VatRate.values}:
            raise serializers.ValidationError(_("Taux de TVA possibles : 5.5, 10 ou 20."))
        return Decimal(str(data))


class ShopErrorSerializer(serializers.Serializer):
    detail = StrictCharField()
    field = StrictCharField(required=False)


class MerchantSerializer(StrictModelSerializer):
    category_label = StrictCharField(source="get_category_display", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Merchant
        fields = [
            "id",
            "name",
            "slug",
            "category",
            "category_label",
            "address",
            "phone",
            "description",
            "opening_hours",
            "url",
        ]

    def get_url(self, merchant) -> str:
        return merchant.get_absolute_url()


class ProductSerializer(StrictModelSerializer):
    """A product as shoppers see it; ``stock`` is null for made-to-order products."""

    merchant_name = StrictCharField(source="merchant.name", read_only=True)
    labels = serializers.ListField(child=StrictCharField(), source="label_list")
    available = serializers.BooleanField(read_only=True)
    vat_rate = VatRateField(read_only=True)
    photo = serializers.SerializerMethodField()

    class Meta:
        model = Product
        fields = [
            "id",
            "merchant",
            "merchant_name",
            "name",
            "slug",
            "description",
            "category",
            "labels",
            "price",
            "vat_rate",
            "unit",
            "stock",
            "available",
            "weight_grams",
            "photo",
        ]

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_photo(self, product) -> str | None:
        if not product.photo_detail:
            return None
        request = self.context.get("request")
        url = product.photo_detail.url
        return request.build_absolute_uri(url) if request else url


class MerchantProductSerializer(StrictModelSerializer):
    """What a shop member writes about a product (photos go through the back-office pages)."""

    merchant = serializers.PrimaryKeyRelatedField(queryset=Merchant.objects.none())
    labels = serializers.ListField(
        child=serializers.ChoiceField(choices=Label.choices), source="label_list", required=False
    )
    category = serializers.ChoiceField(choices=ProductCategory.choices)
    vat_rate = VatRateField()
    unit = serializers.ChoiceField(choices=Unit.choices, required=False)
    stock = serializers.IntegerField(min_value=0, max_value=100000, allow_null=True)
    price = serializers.DecimalField(
        max_digits=8, decimal_places=2, min_value=Decimal("0.01"), max_value=Decimal("9999.99")
    )
    available = serializers.BooleanField(read_only=True)

    class Meta:
        model = Product
        fields = [
            "id",
            "merchant",
            "name",
            "slug",
            "description",
            "category",
            "labels",
            "price",
            "vat_rate",
            "unit",
            "stock",
            "available",
            "weight_grams",
            "is_active",
        ]
        read_only_fields = ["slug"]

    def __init__(self, *args, merchants=None, **kwargs):
        super().__init__(*args, **kwargs)
        if merchants is not None:
            self.fields["merchant"].queryset = merchants
        if self.instance is not None:
            self.fields["merchant"].read_only = True

    def create(self, validated_data):
        labels = validated_data.pop("label_list", [])
        product = Product(**validated_data)
        product.label_list = labels
        product.save()
        return product

    def update(self, instance, validated_data):
        labels = validated_data.pop("label_list", None)
        for field, value in validated_data.items():
            setattr(instance, field, value)
        if labels is not None:
            instance.label_list = labels
        instance.save()
        return instance


class BasketLineSerializer(StrictModelSerializer):
    product_name = StrictCharField(source="product.name", read_only=True)
    merchant = serializers.IntegerField(source="product.merchant_id", read_only=True)
    merchant_name = StrictCharField(source="product.merchant.name", read_only=True)
    unit_price = serializers.DecimalField(
        source="product.price", max_digits=8, decimal_places=2, read_only=True
    )
    line_total = serializers.DecimalField(
        source="total", max_digits=10, decimal_places=2, read_only=True
    )
    available = serializers.BooleanField(source="product.available", read_only=True)

    class Meta:
        model = BasketLine
        fields = [
            "id",
            "product",
            "product_name",
            "merchant",
            "merchant_name",
            "quantity",
            "unit_price",
            "line_total",
            "available",
        ]


class BasketLineCreateSerializer(serializers.Serializer):
    product = serializers.IntegerField()
    quantity = serializers.IntegerField(min_value=1, max_value=settings.SHOP_MAX_LINE_QUANTITY)


class BasketLineUpdateSerializer(serializers.Serializer):
    quantity = serializers.IntegerField(min_value=1, max_value=settings.SHOP_MAX_LINE_QUANTITY)


class BasketSerializer(serializers.Serializer):
    lines = BasketLineSerializer(many=True)
    count = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=10, decimal_places=2)


class OrderLineSerializer(StrictModelSerializer):
    vat_rate = VatRateField(read_only=True)
    line_total = serializers.DecimalField(
        source="total", max_digits=10, decimal_places=2, read_only=True
    )

    class Meta:
        model = OrderLine
        fields = [
            "id",
            "product",
            "name",
            "unit",
            "unit_price",
            "vat_rate",
            "quantity",
            "line_total",
        ]


class MerchantOrderSerializer(StrictModelSerializer):
    merchant_name = StrictCharField(source="merchant.name", read_only=True)
    lines = OrderLineSerializer(many=True, read_only=True)

    class Meta:
        model = MerchantOrder
        fields = [
            "id",
            "merchant",
            "merchant_name",
            "status",
            "subtotal",
            "refusal_reason",
            "lines",
        ]


class ShopOrderPartSerializer(MerchantOrderSerializer):
    """A merchant order as its shop sees it: what to prepare, when, and for whom."""

    order_number = StrictCharField(source="order.number", read_only=True)
    fulfilment = StrictCharField(source="order.fulfilment", read_only=True)
    slot_start = serializers.DateTimeField(
        source="order.slot.start", read_only=True, allow_null=True
    )
    customer_name = StrictCharField(source="order.contact_name", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)

    class Meta(MerchantOrderSerializer.Meta):
        fields = [
            *MerchantOrderSerializer.Meta.fields,
            "order_number",
            "fulfilment",
            "slot_start",
            "customer_name",
            "created_at",
        ]


class OrderSerializer(StrictModelSerializer):
    """An order; ``payment_urls`` in the context (order number → address) gives the
    ``payment_url`` of orders waiting for their online payment."""

    merchant_orders = MerchantOrderSerializer(many=True, read_only=True)
    slot_start = serializers.DateTimeField(source="slot.start", read_only=True, allow_null=True)
    slot_end = serializers.DateTimeField(source="slot.end", read_only=True, allow_null=True)
    payment_url = serializers.SerializerMethodField(
        help_text=_(
            "Paiement en ligne en attente : la page du prestataire où régler la commande "
            "(3-D Secure compris), à ouvrir dans un navigateur. Sinon null ; si la page n'a pas "
            "pu s'ouvrir, POST /orders/{id}/pay/ la redemande."
        )
    )

    class Meta:
        model = Order
        fields = [
            "id",
            "number",
            "status",
            "fulfilment",
            "address_label",
            "relay_point",
            "slot",
            "slot_start",
            "slot_end",
            "payment_method",
            "payment_status",
            "items_total",
            "delivery_fee",
            "total",
            "note",
            "news_by_sms",
            "created_at",
            "merchant_orders",
            "payment_url",
        ]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_payment_url(self, order) -> str | None:
        return self.context.get("payment_urls", {}).get(order.number) or None


class PaymentLinkSerializer(serializers.Serializer):
    payment_url = serializers.URLField(
        help_text=_("La page du prestataire où régler la commande, à ouvrir dans un navigateur.")
    )


class OrderCreateSerializer(serializers.Serializer):
    fulfilment = serializers.ChoiceField(choices=delivery.FulfilmentMode.choices)
    address = StrictCharField(required=False, allow_blank=True, max_length=250, default="")
    relay_point = serializers.IntegerField(required=False, allow_null=True, default=None)
    slot = serializers.IntegerField(required=False, allow_null=True, default=None)
    payment = serializers.ChoiceField(choices=PaymentMethod.choices)
    note = StrictCharField(required=False, allow_blank=True, max_length=500, default="")
    phone = StrictCharField(required=False, allow_blank=True, max_length=30, default="")
    news_by_sms = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_(
            "Prévenir aussi par SMS (mobile) quand le coursier part puis quand la livraison est "
            "la prochaine. Consentement explicite : faux par défaut ; l'e-mail part toujours."
        ),
    )


class RefuseSerializer(serializers.Serializer):
    reason = StrictCharField(max_length=250, error_messages={"blank": _("Indiquez le motif.")})
