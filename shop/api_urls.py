from django.urls import path

from shop.api import views

urlpatterns = [
    path("merchants/", views.MerchantList.as_view(), name="api-merchants"),
    path("products/", views.ProductList.as_view(), name="api-products"),
    path("basket/", views.BasketView.as_view(), name="api-basket"),
    path("basket/lines/", views.BasketLines.as_view(), name="api-basket-lines"),
    path("basket/lines/<int:pk>/", views.BasketLineDetail.as_view(), name="api-basket-line"),
    path("orders/", views.Orders.as_view(), name="api-orders"),
    path("orders/<int:pk>/", views.OrderDetail.as_view(), name="api-order"),
    path("orders/<int:pk>/cancel/", views.OrderCancel.as_view(), name="api-order-cancel"),
    path("merchant/products/", views.MerchantProducts.as_view(), name="api-merchant-products"),
    path(
        "merchant/products/<int:pk>/",
        views.MerchantProductDetail.as_view(),
        name="api-merchant-product",
    ),
    path("merchant/orders/", views.MerchantOrders.as_view(), name="api-merchant-orders"),
    path(
        "merchant/orders/<int:pk>/accept/",
        views.MerchantOrderAccept.as_view(),
        name="api-merchant-order-accept",
    ),
    path(
        "merchant/orders/<int:pk>/refuse/",
        views.MerchantOrderRefuse.as_view(),
        name="api-merchant-order-refuse",
    ),
    path(
        "merchant/orders/<int:pk>/ready/",
        views.MerchantOrderReady.as_view(),
        name="api-merchant-order-ready",
    ),
]
