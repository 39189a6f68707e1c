"""Settings → Webhooks in the admin: a channel's endpoints, their secrets and the delivery log.

Administrators only (the model's permission policy; no group is given webhook permissions). A
secret is rendered once, in the answer to the POST that made it (creation or rotation), never in
a message, a session or a log. Creating, editing, rotating a secret and redelivering are logged
in the endpoint's history.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView, EditView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log

from cms.webhooks import delivery, signing
from cms.webhooks.addresses import UnsafeWebhookURL, check_url
from cms.webhooks.events import EVENT_CHOICES
from cms.webhooks.models import EndpointState, MessageStatus, WebhookEndpoint, WebhookMessage

SECRET_ROTATED = "baken.webhook.secret_rotated"  # noqa: S105 (a log action name)
REDELIVERED = "baken.webhook.redelivered"
MAX_OVERLAP_HOURS = 24 * 30
LOG_LENGTH = 100


class WebhookEndpointForm(WagtailAdminModelForm):
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=EVENT_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The events this endpoint receives."),
    )

    def clean_url(self):
        try:
            return check_url(self.cleaned_data["url"])
        except UnsafeWebhookURL as error:
            raise forms.ValidationError(str(error)) from None


class RotateSecretForm(forms.Form):
    overlap_hours = forms.IntegerField(
        label=_("Hours the old secret keeps signing"),
        min_value=0,
        max_value=MAX_OVERLAP_HOURS,
        initial=24,
        help_text=_("During this time every event carries a signature made with each secret."),
    )


def _shown_once(request, endpoint: WebhookEndpoint, *, rotated_until=None):
    return TemplateResponse(
        request,
        "cms/webhooks/secret_shown_once.html",
        {"endpoint": endpoint, "secret": endpoint.secret, "rotated_until": rotated_until},
        headers={"Cache-Control": "no-store"},
    )


class WebhookCreateView(CreateView):
    def save_instance(self):
        self.form.instance.secret = signing.new_secret()
        return super().save_instance()

    def form_valid(self, form):
        super().form_valid(form)
        return _shown_once(self.request, self.object)


class WebhookEditView(EditView):
    template_name = "cms/webhooks/edit.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        since = timezone.now() - dt.timedelta(days=7)
        attempts = self.object.messages.filter(attempt_log__started_at__gte=since).aggregate(
            total=Count("attempt_log"),
            succeeded=Count(
                "attempt_log",
                filter=Q(attempt_log__status_code__gte=200, attempt_log__status_code__lt=300),
            ),
        )
        context["attempts_week"] = attempts
        context["pending"] = self.object.messages.filter(status=MessageStatus.PENDING).count()
        return context


class WebhookViewSet(ModelViewSet):
    model = WebhookEndpoint
    icon = "resubmit"
    menu_label = _("Webhooks")
    add_to_settings_menu = True
    copy_view_enabled = False
    add_view_class = WebhookCreateView
    edit_view_class = WebhookEditView
    edit_handler = ObjectList(
        [
            FieldPanel("channel"),
            FieldPanel("url"),
            FieldPanel("description"),
            FieldPanel("events"),
            FieldPanel("state"),
        ],
        base_form_class=WebhookEndpointForm,
    )
    list_display = [
        "channel",
        "url",
        Column("state", label=_("State"), accessor="get_state_display"),
        Column("state_reason", label=_("Why")),
    ]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<int:pk>/rotate-secret/", self.checked(rotate_secret), name="rotate_secret"),
            path("<int:pk>/deliveries/", self.checked(deliveries), name="deliveries"),
            path("messages/<uuid:message_id>/redeliver/", self.checked(redeliver), name="redeliver"),
        ]

    def checked(self, view):
        policy = self.permission_policy

        def checked_view(request, *args, **kwargs):
            if not policy.user_has_permission(request.user, "change"):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return checked_view


def _edit_url(endpoint: WebhookEndpoint) -> str:
    return reverse("webhooks:edit", args=[endpoint.pk])


def rotate_secret(request, pk: int):
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    form = RotateSecretForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        until = timezone.now() + dt.timedelta(hours=form.cleaned_data["overlap_hours"])
        endpoint.previous_secret, endpoint.previous_secret_until = endpoint.secret, until
        endpoint.secret = signing.new_secret()
        endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_until"])
        log(endpoint, SECRET_ROTATED, user=request.user, data={"old_secret_signs_until": until.isoformat()})
        return _shown_once(request, endpoint, rotated_until=until)
    return TemplateResponse(
        request,
        "cms/webhooks/rotate_secret.html",
        {"endpoint": endpoint, "form": form, "edit_url": _edit_url(endpoint)},
    )


def deliveries(request, pk: int):
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    recent = list(endpoint.messages.prefetch_related("attempt_log").order_by("-created_at")[:LOG_LENGTH])
    return TemplateResponse(
        request,
        "cms/webhooks/deliveries.html",
        {"endpoint": endpoint, "recent": recent, "edit_url": _edit_url(endpoint), "length": LOG_LENGTH},
    )


def redeliver(request, message_id):
    message = get_object_or_404(WebhookMessage.objects.select_related("endpoint"), pk=message_id)
    back = reverse("webhooks:deliveries", args=[message.endpoint.pk])
    if request.method != "POST":
        return redirect(back)
    if message.endpoint.state == EndpointState.DISABLED:
        messages.error(request, _("This webhook is disabled: set its state to Active first."))
        return redirect(back)
    delivery.redeliver(message)
    log(message.endpoint, REDELIVERED, user=request.user, data={"webhook_id": message.webhook_id})
    messages.success(
        request,
        _("Event %(id)s will be delivered again within a few seconds.") % {"id": message.webhook_id},
    )
    return redirect(back)


class FailingWebhooksPanel(Component):
    """Dashboard panel (administrators): webhooks that are failing or disabled, with their channel's
    contact, so that someone calls them."""

    name = "baken_failing_webhooks"
    template_name = "cms/webhooks/panel.html"
    order = 140

    def __init__(self, endpoints):
        self.endpoints = endpoints

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["endpoints"] = self.endpoints
        return context


def failing_webhooks_panel(user) -> FailingWebhooksPanel | None:
    if not user.is_superuser:
        return None
    endpoints = list(WebhookEndpoint.objects.exclude(state=EndpointState.ACTIVE).select_related("channel"))
    return FailingWebhooksPanel(endpoints) if endpoints else None
