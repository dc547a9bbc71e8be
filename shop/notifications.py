"""E-mails of the shop, sent through the hub after commit, in French."""

from django.conf import settings
from django.urls import reverse

from hub.services import absolute_url, send_email
from shop.models import MerchantOrder, Order


def _merchant_recipients(merchant) -> list[str]:
    emails = {member.user.email for member in merchant.members.select_related("user")}
    if merchant.email:
        emails.add(merchant.email)
    return sorted(emails)


def order_placed(order: Order) -> None:
    context = {"order": order, "url": absolute_url(order.get_absolute_url())}
    send_email(order.contact_email, "shop/email/order_placed", context)
    for part in order.merchant_orders.select_related("merchant"):
        url = absolute_url(reverse("shop:merchant_orders", args=[part.merchant.slug]))
        for email in _merchant_recipients(part.merchant):
            send_email(email, "shop/email/merchant_new_order", {"part": part, "url": url})


def part_changed(part: MerchantOrder, template: str) -> None:
    """Tell the shopper that a shop accepted, refused or got ready their part."""
    order = part.order
    context = {"order": order, "part": part, "url": absolute_url(order.get_absolute_url())}
    send_email(order.contact_email, f"shop/email/{template}", context)


def order_cancelled_to_merchants(order: Order, parts) -> None:
    for part in parts:
        url = absolute_url(reverse("shop:merchant_orders", args=[part.merchant.slug]))
        for email in _merchant_recipients(part.merchant):
            send_email(email, "shop/email/merchant_order_cancelled", {"part": part, "url": url})


def order_released(order: Order) -> None:
    context = {"order": order, "url": absolute_url(order.get_absolute_url())}
    send_email(
        order.contact_email,
        "shop/email/order_released",
        context,
        dedupe_key=f"shop:order-released:{order.pk}",
    )


def parts_returned_to_merchants(parts, reason: str) -> None:
    """Tell each shop that its part could not be delivered and is coming back to it."""
    for part in parts:
        url = absolute_url(reverse("shop:merchant_orders", args=[part.merchant.slug]))
        context = {"part": part, "reason": reason, "url": url}
        for email in _merchant_recipients(part.merchant):
            send_email(
                email,
                "shop/email/merchant_part_returned",
                context,
                dedupe_key=f"shop:part-returned:{part.pk}:{email}",
            )


def application_reviewed(merchant, approved: bool) -> None:
    if merchant.applicant is None:
        return
    template = "application_approved" if approved else "application_refused"
    url = absolute_url(reverse("shop:merchant_home"))
    send_email(
        merchant.applicant.email, f"shop/email/{template}", {"merchant": merchant, "url": url}
    )


def support_updated(support_request, comments) -> None:
    """The workshop's answer (its messages and the request's status), once per shop address."""
    url = absolute_url(
        reverse("shop:support_detail", args=[support_request.merchant.slug, support_request.pk])
    )
    context = {"request": support_request, "comments": comments, "url": url}
    for email in _merchant_recipients(support_request.merchant):
        send_email(
            email, "shop/email/support_updated", context, reply_to=settings.SHOP_WORKSHOP_EMAIL
        )


def support_requested(support_request) -> None:
    """A shop asks for help: the multimedia workshop hears of it at once."""
    _to_workshop(support_request, "shop/email/support_requested", {})


def support_commented(support_request, comment) -> None:
    """A shop wrote on its request: the workshop reads the message."""
    _to_workshop(support_request, "shop/email/support_commented", {"comment": comment})


def _to_workshop(support_request, template: str, extra: dict) -> None:
    url = absolute_url(reverse("admin:shop_supportrequest_change", args=[support_request.pk]))
    author = support_request.author
    context = {"request": support_request, "url": url, **extra}
    reply_to = author.email if author else support_request.merchant.email or None
    send_email(settings.SHOP_WORKSHOP_EMAIL, template, context, reply_to=reply_to)


def delivery_changed(
    order: Order, template: str, extra: dict | None = None, dedupe_key: str | None = None
) -> None:
    """Tell the shopper how their cargo-bike delivery went (delivered, failed, re-planned…)."""
    context = {"order": order, "url": absolute_url(order.get_absolute_url()), **(extra or {})}
    send_email(order.contact_email, f"shop/email/{template}", context, dedupe_key=dedupe_key)
