"""The shop's API: public catalogue, the shopper's basket and orders, the shops' back-office."""

import uuid
from contextlib import suppress

import django_filters
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import generics, status
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from hub.services import Conflict, IdFilter, idempotent_response
from shop import payments, services
from shop.api import serializers as s
from shop.models import (
    Label,
    Merchant,
    MerchantCategory,
    MerchantOrder,
    MerchantOrderStatus,
    PaymentStatus,
    Product,
    ProductCategory,
)

BAD_REQUEST = OpenApiResponse(OpenApiTypes.OBJECT, description="Erreurs par champ.")
NOT_FOUND = OpenApiResponse(s.ShopErrorSerializer, description="Introuvable.")
CONFLICT = OpenApiResponse(s.ShopErrorSerializer, description="Stock, créneau ou état.")


class MerchantFilter(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(choices=MerchantCategory.choices)

    class Meta:
        model = Merchant
        fields = ["category"]


class MerchantList(generics.ListAPIView):
    """Approved shops (public)."""

    permission_classes = [AllowAny]
    serializer_class = s.MerchantSerializer
    filterset_class = MerchantFilter
    queryset = Merchant.objects.approved().order_by("name", "pk")

    @extend_schema(
        responses={200: s.MerchantSerializer(many=True), 400: BAD_REQUEST, 404: NOT_FOUND}
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ProductFilter(django_filters.FilterSet):
    merchant = IdFilter(field_name="merchant_id")
    category = django_filters.ChoiceFilter(choices=ProductCategory.choices)
    label = django_filters.ChoiceFilter(choices=Label.choices, method="filter_label")
    search = django_filters.CharFilter(method="filter_search", max_length=100)

    class Meta:
        model = Product
        fields = ["merchant", "category", "label", "search"]

    def filter_label(self, queryset, name, value):
        return queryset.with_label(value)

    def filter_search(self, queryset, name, value):
        return queryset.search(value)


class ProductList(generics.ListAPIView):
    """Products on sale (public): filter by shop, category, label; search ignores accents."""

    permission_classes = [AllowAny]
    serializer_class = s.ProductSerializer
    filterset_class = ProductFilter
    queryset = (
        Product.objects.on_sale().select_related("merchant").with_labels().order_by("name", "pk")
    )

    @extend_schema(
        responses={200: s.ProductSerializer(many=True), 400: BAD_REQUEST, 404: NOT_FOUND}
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


def _basket_data(request):
    summary = services.summarise(services.get_basket(request.user, None))
    return s.BasketSerializer(
        {"lines": summary.lines, "count": summary.count, "total": summary.total}
    ).data


class BasketView(APIView):
    """The signed-in shopper's basket."""

    @extend_schema(responses=s.BasketSerializer)
    def get(self, request):
        return Response(_basket_data(request))


class BasketLines(APIView):
    @extend_schema(
        request=s.BasketLineCreateSerializer,
        responses={201: s.BasketLineSerializer, 400: BAD_REQUEST, 409: CONFLICT},
    )
    def post(self, request):
        """Add a product to the basket (added to the quantity already there)."""
        payload = s.BasketLineCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        basket = services.get_basket(request.user, None, create=True)
        data = payload.validated_data
        line = services.add_to_basket(basket, data["product"], data["quantity"])
        return Response(s.BasketLineSerializer(line).data, status=status.HTTP_201_CREATED)


class BasketLineDetail(APIView):
    def _line(self, request, pk):
        basket = services.get_basket(request.user, None)
        if basket is None:
            raise Http404
        return basket, get_object_or_404(basket.lines.select_related("product__merchant"), pk=pk)

    @extend_schema(
        request=s.BasketLineUpdateSerializer,
        responses={200: s.BasketLineSerializer, 400: BAD_REQUEST, 404: NOT_FOUND, 409: CONFLICT},
    )
    def patch(self, request, pk):
        """Change the quantity of a line."""
        basket, line = self._line(request, pk)
        payload = s.BasketLineUpdateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        line = services.set_line_quantity(basket, line.pk, payload.validated_data["quantity"])
        return Response(s.BasketLineSerializer(line).data)

    @extend_schema(responses={204: None, 404: NOT_FOUND})
    def delete(self, request, pk):
        """Remove a line from the basket."""
        basket, line = self._line(request, pk)
        services.remove_line(basket, line.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _orders(request):
    if getattr(request, "swagger_fake_view", False) or not request.user.is_authenticated:
        return services.orders_of(None).none()
    return services.orders_of(request.user).order_by("-created_at", "-pk")


def _order_data(order) -> dict:
    return s.OrderSerializer(order, context={"payment_urls": payments.payment_links([order])}).data


class Orders(generics.ListAPIView):
    """The shopper's orders (GET); place the basket as an order (POST, with Idempotency-Key).
    An order paid online comes back with ``payment_url``, the page where the shopper pays."""

    serializer_class = s.OrderSerializer

    def get_queryset(self):
        return _orders(self.request)

    @extend_schema(responses={200: s.OrderSerializer(many=True), 404: NOT_FOUND})
    def get(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        context = {"payment_urls": payments.payment_links(page)}
        return self.get_paginated_response(s.OrderSerializer(page, many=True, context=context).data)

    @extend_schema(
        request=s.OrderCreateSerializer,
        responses={201: s.OrderSerializer, 400: BAD_REQUEST, 409: CONFLICT},
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="Une même clé ne crée qu'une commande (double clic, nouvel essai).",
            )
        ],
    )
    def post(self, request):
        def handle():
            payload = s.OrderCreateSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            data = payload.validated_data
            basket = services.get_basket(request.user, None, create=True)
            key = (request.headers.get("Idempotency-Key") or "").strip() or uuid.uuid4().hex
            order = services.place_order(
                request.user,
                basket,
                services.Checkout(
                    fulfilment=data["fulfilment"],
                    payment=data["payment"],
                    address=data["address"],
                    relay_point=data["relay_point"],
                    slot=data["slot"],
                    note=data["note"],
                    phone=data["phone"],
                    news_by_sms=data["news_by_sms"],
                ),
                key[:100],
            )
            if order.paid_online:
                # Opened now so that the answer carries it; if the provider cannot be reached,
                # the order waits and POST …/pay/ asks again.
                with suppress(Conflict):
                    payments.payment_page(order)
            order = _orders(request).get(pk=order.pk)
            return Response(_order_data(order), status=status.HTTP_201_CREATED)

        return idempotent_response(request, "shop:orders", handle)


class OrderDetail(generics.RetrieveAPIView):
    """One of the shopper's orders."""

    serializer_class = s.OrderSerializer

    def get_queryset(self):
        return _orders(self.request)

    @extend_schema(responses={200: s.OrderSerializer, 404: NOT_FOUND})
    def get(self, request, *args, **kwargs):
        return Response(_order_data(self.get_object()))


class OrderPay(APIView):
    @extend_schema(
        request=None,
        responses={200: s.PaymentLinkSerializer, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request, pk):
        """The page where the shopper pays an order waiting for its online payment (409 once
        paid, abandoned or expired, or when the provider cannot be reached)."""
        order = get_object_or_404(_orders(request), pk=pk)
        if not order.paid_online:
            raise Conflict(_("Cette commande se règle à la remise, pas en ligne."))
        return Response({"payment_url": payments.payment_page(order)})


class OrderCancel(APIView):
    @extend_schema(request=None, responses={200: s.OrderSerializer, 404: NOT_FOUND, 409: CONFLICT})
    def post(self, request, pk):
        """Cancel while no shop has accepted: stock and slot are given back."""
        order = get_object_or_404(_orders(request), pk=pk)
        services.cancel_order(order, request.user)
        return Response(s.OrderSerializer(_orders(request).get(pk=pk)).data)


def _member_products(request):
    if not request.user.is_authenticated:
        return Product.objects.none()
    return (
        Product.objects.filter(merchant__members__user=request.user)
        .select_related("merchant")
        .with_labels()
    )


class MerchantProducts(generics.ListCreateAPIView):
    """Products of the shops the user belongs to."""

    serializer_class = s.MerchantProductSerializer

    def get_queryset(self):
        return _member_products(self.request).order_by("merchant", "name", "pk")

    def get_serializer(self, *args, **kwargs):
        if self.request.user.is_authenticated:
            kwargs["merchants"] = services.member_merchants(self.request.user)
        return super().get_serializer(*args, **kwargs)

    @extend_schema(responses={200: s.MerchantProductSerializer(many=True), 404: NOT_FOUND})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(responses={201: s.MerchantProductSerializer, 400: BAD_REQUEST})
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


class MerchantProductDetail(generics.GenericAPIView):
    serializer_class = s.MerchantProductSerializer

    def get_queryset(self):
        return _member_products(self.request)

    @extend_schema(responses={200: s.MerchantProductSerializer, 400: BAD_REQUEST, 404: NOT_FOUND})
    def patch(self, request, pk):
        """Change a product of one of your shops."""
        product = self.get_object()
        payload = s.MerchantProductSerializer(product, data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        payload.save()
        return Response(payload.data)


class MerchantOrderFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=MerchantOrderStatus.choices)
    merchant = IdFilter(field_name="merchant_id")

    class Meta:
        model = MerchantOrder
        fields = ["status", "merchant"]


def _member_parts(request):
    if not request.user.is_authenticated:
        return MerchantOrder.objects.none()
    return (
        MerchantOrder.objects.filter(merchant__members__user=request.user)
        .exclude(order__payment_status=PaymentStatus.PENDING)
        .select_related("merchant", "order__slot")
        .prefetch_related(Prefetch("lines"))
        .order_by("-created_at", "-pk")
    )


class MerchantOrders(generics.ListAPIView):
    """Orders received by the shops the user belongs to."""

    serializer_class = s.ShopOrderPartSerializer
    filterset_class = MerchantOrderFilter

    def get_queryset(self):
        return _member_parts(self.request)

    @extend_schema(
        responses={200: s.ShopOrderPartSerializer(many=True), 400: BAD_REQUEST, 404: NOT_FOUND}
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class MerchantOrderAction(APIView):
    action_name = ""

    def _part(self, request, pk):
        return get_object_or_404(_member_parts(request), pk=pk)

    def _answer(self, request, pk):
        return Response(s.ShopOrderPartSerializer(self._part(request, pk)).data)


class MerchantOrderAccept(MerchantOrderAction):
    @extend_schema(
        request=None, responses={200: s.ShopOrderPartSerializer, 404: NOT_FOUND, 409: CONFLICT}
    )
    def post(self, request, pk):
        """Accept this shop's part of the order."""
        services.accept_part(self._part(request, pk), by=request.user)
        return self._answer(request, pk)


class MerchantOrderRefuse(MerchantOrderAction):
    @extend_schema(
        request=s.RefuseSerializer,
        responses={200: s.ShopOrderPartSerializer, 400: BAD_REQUEST, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request, pk):
        """Refuse with a reason told to the shopper; the stock comes back."""
        part = self._part(request, pk)
        payload = s.RefuseSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.refuse_part(part, payload.validated_data["reason"], by=request.user)
        return self._answer(request, pk)


class MerchantOrderReady(MerchantOrderAction):
    @extend_schema(
        request=None, responses={200: s.ShopOrderPartSerializer, 404: NOT_FOUND, 409: CONFLICT}
    )
    def post(self, request, pk):
        """Mark this shop's part prepared."""
        services.mark_part_ready(self._part(request, pk), by=request.user)
        return self._answer(request, pk)
