from django.urls import path

from shop.api import views

# Ids are matched as any segment so that a malformed one gets the API's JSON 404.

urlpatterns = [
    path("merchants/", views.MerchantList.as_view(), name="api-merchants"),
    path("products/", views.ProductList.as_view(), name="api-products"),
    path("basket/", views.BasketView.as_view(), name="api-basket"),
    path("basket/lines/", views.BasketLines.as_view(), name="api-basket-lines"),
    path("basket/lines/<str:pk>/", views.BasketLineDetail.as_view(), name="api-basket-line"),
    path("orders/", views.Orders.as_view(), name="api-orders"),
    path("orders/<str:pk>/", views.OrderDetail.as_view(), name="api-order"),
    path("orders/<str:pk>/cancel/", views.OrderCancel.as_view(), name="api-order-cancel"),
    path("orders/<str:pk>/pay/", views.OrderPay.as_view(), name="api-order-pay"),
    path("merchant/products/", views.MerchantProducts.as_view(), name="api-merchant-products"),
    path(
        "merchant/products/<str:pk>/",
        views.MerchantProductDetail.as_view(),
        name="api-merchant-product",
    ),
    path("merchant/orders/", views.MerchantOrders.as_view(), name="api-merchant-orders"),
    path(
        "merchant/orders/<str:pk>/accept/",
        views.MerchantOrderAccept.as_view(),
        name="api-merchant-order-accept",
    ),
    path(
        "merchant/orders/<str:pk>/refuse/",
        views.MerchantOrderRefuse.as_view(),
        name="api-merchant-order-refuse",
    ),
    path(
        "merchant/orders/<str:pk>/ready/",
        views.MerchantOrderReady.as_view(),
        name="api-merchant-order-ready",
    ),
]
