"""The channel registry in the admin (Settings → Channels): channels, and their keys.

Administrators only: the views use the channel model's permission policy, and no group is given
channel permissions, so only superusers pass. A key's text is rendered once, in the answer to the
POST that made it (never in a message, a session or a log).
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views.generic import EditView
from wagtail.admin.viewsets.model import ModelViewSet

from api.rate_limits.counters import recent_usage
from cms.channels import keys
from cms.channels.models import Channel, ChannelKey

MAX_OVERLAP_DAYS = 90
USAGE_DAYS_SHOWN = 14


def webhook_success(channel: Channel, *, since) -> list:
    """The channel's webhooks, each with its attempts since ``since`` and how many succeeded."""
    from django.db.models import Count, Q

    return list(
        channel.webhooks.annotate(
            attempts=Count("messages__attempt_log", filter=Q(messages__attempt_log__started_at__gte=since)),
            succeeded=Count(
                "messages__attempt_log",
                filter=Q(
                    messages__attempt_log__started_at__gte=since,
                    messages__attempt_log__status_code__gte=200,
                    messages__attempt_log__status_code__lt=300,
                ),
            ),
        )
    )


class NewKeyForm(forms.Form):
    label = forms.CharField(
        label=_("Label"),
        max_length=120,
        required=False,
        help_text=_("Where the key is used, e.g. production site."),
    )
    expires_at = forms.DateTimeField(
        label=_("Expires"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Leave empty for a key that does not expire."),
    )

    def clean_expires_at(self):
        value = self.cleaned_data["expires_at"]
        if value is not None and value <= timezone.now():
            raise forms.ValidationError(_("Choose a moment in the future."))
        return value


class RotateKeyForm(forms.Form):
    overlap_days = forms.IntegerField(
        label=_("Days the old key keeps working"),
        min_value=0,
        max_value=MAX_OVERLAP_DAYS,
        initial=keys.DEFAULT_OVERLAP.days,
        help_text=_("Time to put the new key in place before the old one is refused."),
    )


class ChannelEditView(EditView):
    template_name = "cms/channels/edit.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        context["channel_keys"] = [(key, key.state(now=now)) for key in self.object.keys.all()]
        context["usage"] = recent_usage(
            f"channel:{self.object.pk}", days=USAGE_DAYS_SHOWN, now=now.timestamp()
        )
        context["webhooks"] = webhook_success(self.object, since=now - dt.timedelta(days=7))
        context["new_key_url"] = reverse("channels:new_key", args=[self.object.pk])
        return context


class ChannelViewSet(ModelViewSet):
    model = Channel
    icon = "link"
    menu_label = _("Channels")
    add_to_settings_menu = True
    copy_view_enabled = False
    edit_view_class = ChannelEditView
    panels = [
        FieldPanel("name"),
        FieldPanel("contact_name"),
        FieldPanel("contact_email"),
        FieldPanel("allowed_origins", widget=forms.Textarea(attrs={"rows": 3})),
        FieldPanel("campaigns", widget=forms.CheckboxSelectMultiple),
        FieldPanel("locales", widget=forms.CheckboxSelectMultiple),
        FieldPanel("rate_limit_policy"),
        FieldPanel("active"),
    ]
    list_display = [
        "name",
        "contact_email",
        Column("origins", label=_("Allowed origins"), accessor="allowed_origins"),
        BooleanColumn("active", label=_("Active")),
    ]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<int:channel_pk>/keys/new/", self.key_view(new_key), name="new_key"),
            path("keys/<int:key_pk>/rotate/", self.key_view(rotate_key), name="rotate_key"),
            path("keys/<int:key_pk>/revoke/", self.key_view(revoke_key), name="revoke_key"),
        ]

    def key_view(self, view):
        policy = self.permission_policy

        def checked(request, *args, **kwargs):
            if not policy.user_has_permission(request.user, "change"):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return checked


def _edit_url(channel: Channel) -> str:
    return reverse("channels:edit", args=[channel.pk])


def _shown_once(request, channel: Channel, text: str, key: ChannelKey, *, replaced: ChannelKey | None = None):
    return TemplateResponse(
        request,
        "cms/channels/key_shown_once.html",
        {
            "channel": channel,
            "key": key,
            "key_text": text,
            "replaced": replaced,
            "edit_url": _edit_url(channel),
        },
        headers={"Cache-Control": "no-store"},
    )


def new_key(request, channel_pk: int):
    channel = get_object_or_404(Channel, pk=channel_pk)
    form = NewKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        key, text = keys.issue(
            channel,
            label=form.cleaned_data["label"],
            expires_at=form.cleaned_data["expires_at"],
            user=request.user,
        )
        return _shown_once(request, channel, text, key)
    return TemplateResponse(
        request,
        "cms/channels/key_form.html",
        {"channel": channel, "form": form, "title": _("New API key"), "edit_url": _edit_url(channel)},
    )


def rotate_key(request, key_pk: int):
    key = get_object_or_404(ChannelKey.objects.select_related("channel"), pk=key_pk)
    if key.revoked_at is not None:
        messages.error(request, _("A revoked key cannot be rotated; make a new key instead."))
        return redirect(_edit_url(key.channel))
    form = RotateKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        overlap = dt.timedelta(days=form.cleaned_data["overlap_days"])
        new, text = keys.rotate(key, overlap=overlap, user=request.user)
        return _shown_once(request, key.channel, text, new, replaced=key)
    return TemplateResponse(
        request,
        "cms/channels/key_form.html",
        {
            "channel": key.channel,
            "form": form,
            "key": key,
            "title": _("Rotate API key"),
            "edit_url": _edit_url(key.channel),
        },
    )


def revoke_key(request, key_pk: int):
    key = get_object_or_404(ChannelKey.objects.select_related("channel"), pk=key_pk)
    if request.method == "POST":
        keys.revoke(key, user=request.user)
        messages.success(
            request, _("Key %(prefix)s… revoked: it is refused from now on.") % {"prefix": key.prefix}
        )
        return redirect(_edit_url(key.channel))
    return TemplateResponse(
        request,
        "cms/channels/key_revoke.html",
        {
            "channel": key.channel,
            "key": key,
            "title": _("Revoke API key"),
            "edit_url": _edit_url(key.channel),
        },
    )
