from django.urls import path

from delivery.views import app, board, courier, figures, live, public

app_name = "delivery"

urlpatterns = [
    path("livraisons/regulation/", board.board_page, name="board"),
    path("livraisons/regulation/echecs/", board.failures_panel, name="failures"),
    path("livraisons/regulation/flux/", live.board_stream, name="board_stream"),
    path("livraisons/regulation/tournees/", board.round_create, name="round_create"),
    path(
        "livraisons/regulation/tournees/ajouter/",
        board.round_add_from_slot,
        name="round_add_from_slot",
    ),
    path("livraisons/regulation/tournees/<int:pk>/ajouter/", board.round_add, name="round_add"),
    path(
        "livraisons/regulation/tournees/<int:pk>/retirer/<int:delivery_pk>/",
        board.round_remove,
        name="round_remove",
    ),
    path(
        "livraisons/regulation/tournees/<int:pk>/arrets/<int:stop_pk>/<str:direction>/",
        board.stop_move,
        name="stop_move",
    ),
    path(
        "livraisons/regulation/tournees/<int:pk>/optimiser/",
        board.round_optimise,
        name="round_optimise",
    ),
    path(
        "livraisons/regulation/tournees/<int:pk>/replanifier/",
        board.round_replan,
        name="round_replan",
    ),
    path(
        "livraisons/regulation/tournees/<int:pk>/publier/",
        board.round_publish,
        name="round_publish",
    ),
    path(
        "livraisons/regulation/tournees/<int:pk>/supprimer/",
        board.round_delete,
        name="round_delete",
    ),
    path(
        "livraisons/regulation/tournees/<int:pk>/feuille-de-route/",
        board.route_sheet,
        name="route_sheet",
    ),
    path(
        "livraisons/regulation/creneaux/<int:slot_pk>/repartir/",
        board.slot_dispatch,
        name="slot_dispatch",
    ),
    path(
        "livraisons/regulation/propositions/<int:pk>/",
        board.proposal_panel,
        name="proposal",
    ),
    path(
        "livraisons/regulation/propositions/<int:pk>/appliquer/",
        board.proposal_apply,
        name="proposal_apply",
    ),
    path(
        "livraisons/regulation/propositions/<int:pk>/abandonner/",
        board.proposal_abandon,
        name="proposal_abandon",
    ),
    path(
        "livraisons/regulation/livraisons/<int:pk>/",
        board.delivery_detail,
        name="delivery_detail",
    ),
    path(
        "livraisons/regulation/livraisons/<int:pk>/reprogrammer/",
        board.delivery_replan,
        name="delivery_replan",
    ),
    path(
        "livraisons/regulation/livraisons/<int:pk>/rapporter/",
        board.delivery_return,
        name="delivery_return",
    ),
    path("livraisons/livraisons/<int:pk>/photo/", board.proof_photo, name="proof_photo"),
    path("livraisons/chiffres/", figures.figures_page, name="figures"),
    path("coursier/", courier.courier_page, name="courier"),
    path("coursier/flux/", live.courier_stream, name="courier_stream"),
    path("coursier/manifest.webmanifest", app.manifest, name="courier_manifest"),
    path("coursier/sw.js", app.service_worker, name="courier_service_worker"),
    path("coursier/push/", courier.push_subscribe, name="push_subscribe"),
    path("coursier/push/supprimer/", courier.push_unsubscribe, name="push_unsubscribe"),
    path("coursier/arrets/<int:pk>/recupere/", courier.stop_pickup, name="stop_pickup"),
    path(
        "coursier/arrets/<int:pk>/passage-recupere/",
        courier.visit_pickup,
        name="visit_pickup",
    ),
    path("coursier/arrets/<int:pk>/livre/", courier.stop_deliver, name="stop_deliver"),
    path("coursier/arrets/<int:pk>/echec/", courier.stop_fail, name="stop_fail"),
    path("suivi/<str:token>/", public.track, name="track"),
    path("suivi/<str:token>/avancement/", public.track_progress, name="track_progress"),
    path("suivi/<str:token>/messages/", public.news_stop, name="news_stop"),
    path("adresses/suggestions/", public.address_suggestions, name="address_suggestions"),
]
