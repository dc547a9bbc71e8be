from django.urls import reverse
from django.utils.translation import gettext as _

from hub.services import DashboardLine
from shop.models import Merchant, MerchantStatus, SupportRequest, SupportStatus


def moderation_lines(user) -> list[DashboardLine]:
    """Merchant applications to review and support requests to follow."""
    pending = Merchant.objects.filter(status=MerchantStatus.PENDING).count()
    open_requests = SupportRequest.objects.filter(
        status__in=[SupportStatus.NEW, SupportStatus.IN_PROGRESS]
    ).count()
    return [
        DashboardLine(
            _("Demandes de commerçants à examiner"),
            reverse("shop:moderation_applications"),
            pending,
        ),
        DashboardLine(
            _("Demandes d'accompagnement en cours"),
            reverse("admin:shop_supportrequest_changelist") + "?status__in=new,in_progress",
            open_requests,
        ),
    ]
