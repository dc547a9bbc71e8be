from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from shop import services
from shop.forms import CommentForm, SupportRequestForm
from shop.views.merchant import member_merchant


@login_required
def support_list(request, slug):
    merchant = member_merchant(request, slug)
    form = SupportRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        support = services.open_support_request(merchant, request.user, **form.cleaned_data)
        messages.success(request, _("Votre demande est envoyée à l'atelier multimédia."))
        return redirect("shop:support_detail", merchant.slug, support.pk)
    requests = merchant.support.select_related("assignee").order_by("-created_at")[:100]
    return render(
        request,
        "shop/merchant/support_list.html",
        {"merchant": merchant, "form": form, "requests": requests},
        status=400 if form.errors else 200,
    )


@login_required
def support_detail(request, slug, pk):
    merchant = member_merchant(request, slug)
    support = get_object_or_404(merchant.support, pk=pk)
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_support_request(support, request.user, form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error("body", error.messages)
        else:
            return redirect("shop:support_detail", merchant.slug, support.pk)
    comments = support.comments.select_related("author")
    return render(
        request,
        "shop/merchant/support_detail.html",
        {"merchant": merchant, "support": support, "comments": comments, "form": form},
    )
