"""What the other apps may call in the hub: a facade only, every name lives in a hub module.

The hub's own modules import those modules directly, never this facade."""

from __future__ import annotations

from hub.access import access_required, role_required
from hub.api_errors import error_responses as api_error_responses
from hub.api_fields import (
    IdFilter,
    IsoDateFilter,
    StrictBooleanFilter,
    StrictCharField,
    StrictIntegerField,
    StrictModelSerializer,
)
from hub.api_parsers import FormParser as ApiFormParser
from hub.api_parsers import JSONParser as ApiJSONParser
from hub.api_parsers import MultiPartParser as ApiMultiPartParser
from hub.choices import ChoiceDisplayMixin
from hub.constraints import DateRange, PostgresExclusionConstraint, TsTzRange
from hub.csv_export import (
    admin_export,
    csv_download,
    csv_response,
    csv_text,
    neutralise,
    read_cell,
)
from hub.demo import (
    DEMO_DOMAIN,
    DEMO_PASSWORD,
    demo_history_days,
    demo_structure,
    demo_user,
)
from hub.exceptions import Conflict
from hub.field_history import FieldHistoryAdmin, changed_by
from hub.formatting import NBSP, elide, french_date, kilograms
from hub.fragments import CachedPage, page_key, render_fragments, row_values
from hub.idempotency import idempotent_response
from hub.images import clean_image, drawing_font, rendition, validate_image
from hub.locking import atomic_with_lock_timeout
from hub.mail import absolute_url, send_email
from hub.models.payments import PaymentStatus
from hub.payments.amounts import to_cents
from hub.payments.services import (
    MINIMUM_CENTS,
    PAYMENT_FOLLOWED,
    PartRequest,
    PaymentRequest,
    PaymentSummary,
    PayoutLine,
    RefundLine,
    active_payees,
    checkout_url,
    create_payment,
    decide_part,
    drop_part,
    follow_open_payment,
    onboarding_url,
    online_payment_available,
    payment_summaries,
    payment_summary,
    payout_account,
    payout_lines,
    refresh_payout_account,
)
from hub.payments.services import refund as refund_payment
from hub.phones import PhoneField, PhoneFormField, to_e164
from hub.registry import (
    AccountLink,
    DashboardLine,
    DashboardPanel,
    DemoSeeder,
    ImpactSource,
    Indicator,
    NavEntry,
    PaymentHandler,
    PeriodicTaskSpec,
    RoomBooker,
    month_windows,
    register_account_link,
    register_dashboard_panel,
    register_demo_seeder,
    register_impact_source,
    register_nav,
    register_payment_handler,
    register_periodic_task,
    register_role_provider,
    register_room_booker,
)
from hub.remembered import forget as forget_remembered
from hub.remembered import remembered
from hub.roles import Role, has_role, user_roles
from hub.roles import grant as grant_permissions
from hub.sms import gsm7, gsm7_length, is_mobile, send_sms
from hub.storage import private_storage
from hub.templatetags.anima import money as format_money
from hub.text import fold
from hub.user_cache import session_user
from hub.whole_pages import View, keeping_whole_page, kept_whole, public_page
from hub.workflow import (
    Actor,
    PastMove,
    TransitionRefused,
    Workflow,
    other_fields,
    record_past,
    register_workflow,
    set_initial_status,
    status_changes,
    transition,
    transition_many,
)
from hub.workflow_admin import StatusChangeInline

__all__ = [
    "FieldHistoryAdmin",
    "changed_by",
    "NBSP",
    "elide",
    "french_date",
    "kilograms",
    "ApiFormParser",
    "ApiJSONParser",
    "ApiMultiPartParser",
    "PhoneField",
    "PhoneFormField",
    "to_e164",
    "fold",
    "access_required",
    "role_required",
    "MINIMUM_CENTS",
    "PAYMENT_FOLLOWED",
    "admin_export",
    "csv_download",
    "csv_response",
    "csv_text",
    "neutralise",
    "read_cell",
    "DateRange",
    "PostgresExclusionConstraint",
    "TsTzRange",
    "Role",
    "format_money",
    "has_role",
    "session_user",
    "private_storage",
    "api_error_responses",
    "IdFilter",
    "IsoDateFilter",
    "StrictBooleanFilter",
    "StrictIntegerField",
    "StrictCharField",
    "StrictModelSerializer",
    "DEMO_DOMAIN",
    "DEMO_PASSWORD",
    "demo_history_days",
    "demo_user",
    "demo_structure",
    "AccountLink",
    "ChoiceDisplayMixin",
    "RoomBooker",
    "register_account_link",
    "register_room_booker",
    "CachedPage",
    "kept_whole",
    "keeping_whole_page",
    "View",
    "public_page",
    "page_key",
    "render_fragments",
    "row_values",
    "remembered",
    "forget_remembered",
    "Conflict",
    "atomic_with_lock_timeout",
    "DashboardLine",
    "DashboardPanel",
    "DemoSeeder",
    "ImpactSource",
    "Indicator",
    "month_windows",
    "NavEntry",
    "PeriodicTaskSpec",
    "absolute_url",
    "clean_image",
    "drawing_font",
    "grant_permissions",
    "idempotent_response",
    "register_dashboard_panel",
    "register_demo_seeder",
    "register_impact_source",
    "register_nav",
    "register_periodic_task",
    "register_role_provider",
    "rendition",
    "send_email",
    "send_sms",
    "gsm7",
    "gsm7_length",
    "is_mobile",
    "user_roles",
    "validate_image",
    # online payment
    "PartRequest",
    "PaymentHandler",
    "PaymentRequest",
    "PaymentSummary",
    "PayoutLine",
    "RefundLine",
    "active_payees",
    "checkout_url",
    "create_payment",
    "decide_part",
    "drop_part",
    "follow_open_payment",
    "onboarding_url",
    "online_payment_available",
    "payment_summaries",
    "PaymentStatus",
    "payment_summary",
    "payout_account",
    "payout_lines",
    "refresh_payout_account",
    "refund_payment",
    "register_payment_handler",
    "to_cents",
    # declared state machines
    "Actor",
    "PastMove",
    "StatusChangeInline",
    "TransitionRefused",
    "Workflow",
    "other_fields",
    "record_past",
    "register_workflow",
    "set_initial_status",
    "status_changes",
    "transition",
    "transition_many",
]
