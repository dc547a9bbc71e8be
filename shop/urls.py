from django.urls import path

from shop.views import (
    applications,
    basket,
    catalogue,
    checkout,
    merchant,
    merchant_payments,
    orders,
    support,
)

app_name = "shop"

M = "commercant/<slug:slug>/"

urlpatterns = [
    path("boutique/", catalogue.catalogue, name="catalogue"),
    path("boutique/produits/", catalogue.product_list, name="product_list"),
    path("boutique/suggestions/", catalogue.suggestions, name="suggestions"),
    path("boutique/commerces/<slug:slug>/", catalogue.merchant_detail, name="merchant_detail"),
    path(
        "boutique/commerces/<slug:merchant_slug>/<slug:product_slug>/",
        catalogue.product_detail,
        name="product_detail",
    ),
    path("boutique/panier/", basket.basket, name="basket"),
    path("boutique/panier/ajouter/", basket.basket_add, name="basket_add"),
    path("boutique/panier/lignes/<int:line_id>/", basket.basket_line, name="basket_line"),
    path(
        "boutique/panier/lignes/<int:line_id>/retirer/",
        basket.basket_remove,
        name="basket_remove",
    ),
    path("boutique/commande/", checkout.checkout, name="checkout"),
    path("boutique/commande/adresse/", checkout.check_address, name="check_address"),
    path("boutique/commandes/", orders.order_list, name="order_list"),
    path("boutique/commandes/<str:number>/", orders.order_detail, name="order_detail"),
    path("boutique/commandes/<str:number>/annuler/", orders.order_cancel, name="order_cancel"),
    path("boutique/commandes/<str:number>/payer/", orders.order_pay, name="order_pay"),
    path("boutique/commandes/<str:number>/recu/<int:part_id>/", orders.receipt, name="receipt"),
    path("boutique/vendre/", applications.apply, name="merchant_apply"),
    path(
        "boutique/moderation/demandes/",
        applications.applications,
        name="moderation_applications",
    ),
    path(
        "boutique/moderation/demandes/<int:pk>/valider/",
        applications.approve,
        name="moderation_approve",
    ),
    path(
        "boutique/moderation/demandes/<int:pk>/refuser/",
        applications.refuse,
        name="moderation_refuse",
    ),
    path("commercant/", merchant.merchant_home, name="merchant_home"),
    path(M, merchant.merchant_dashboard, name="merchant_dashboard"),
    path(M + "produits/", merchant.merchant_products, name="merchant_products"),
    path(M + "produits/nouveau/", merchant.product_create, name="merchant_product_create"),
    path(M + "produits/<int:pk>/", merchant.product_edit, name="merchant_product_edit"),
    path(M + "produits/<int:pk>/vente/", merchant.product_toggle, name="merchant_product_toggle"),
    path(M + "produits/export.csv", merchant.products_export, name="merchant_products_export"),
    path(M + "produits/import/", merchant.products_import, name="merchant_products_import"),
    path(M + "commandes/", merchant.merchant_orders, name="merchant_orders"),
    path(M + "commandes/<int:pk>/refuser/", merchant.order_refuse, name="merchant_order_refuse"),
    path(
        M + "commandes/<int:pk>/<slug:action>/",
        merchant.order_action,
        name="merchant_order_action",
    ),
    path(M + "ventes/", merchant.sales, name="merchant_sales"),
    path(M + "ventes.csv", merchant.sales_export, name="merchant_sales_export"),
    path(M + "paiements/", merchant_payments.payout_account, name="merchant_payout"),
    path(
        M + "paiements/connecter/", merchant_payments.payout_connect, name="merchant_payout_connect"
    ),
    path(M + "paiements/retour/", merchant_payments.payout_return, name="merchant_payout_return"),
    path(M + "versements/", merchant_payments.statement, name="merchant_statement"),
    path(
        M + "versements.csv", merchant_payments.statement_export, name="merchant_statement_export"
    ),
    path(M + "equipe/", merchant.members, name="merchant_members"),
    path(
        M + "equipe/<int:member_id>/retirer/", merchant.member_remove, name="merchant_member_remove"
    ),
    path(M + "accompagnement/", support.support_list, name="support_list"),
    path(M + "accompagnement/<int:pk>/", support.support_detail, name="support_detail"),
]
