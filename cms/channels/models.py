"""The channel registry's tables (see cms.channels)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.channels.origins import parse_origins


def _source_campaigns():
    """Each campaign once, in the default language (its translations are the same campaign)."""
    return models.Q(locale__language_code=settings.BAKEN_DEFAULT_LOCALE)


def _rate_limit_policies():
    from api.rate_limits.policies import channel_policy_choices

    return channel_policy_choices()


class Channel(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    contact_email = models.EmailField(
        _("contact e-mail"), help_text=_("Who to tell when something about this channel needs attention.")
    )
    allowed_origins = models.TextField(
        _("allowed origins"),
        blank=True,
        help_text=_(
            "The web addresses whose pages may call the API from a browser, one per line, "
            "e.g. https://www.schatjeschatje.be (scheme, host and port only)."
        ),
    )
    campaigns = models.ManyToManyField(
        "cms.CampaignPage",
        blank=True,
        limit_choices_to=_source_campaigns,
        verbose_name=_("campaigns"),
        help_text=_("The campaigns this channel shows (for your overview; public content stays public)."),
    )
    locales = models.ManyToManyField(
        "wagtailcore.Locale",
        blank=True,
        verbose_name=_("languages"),
        help_text=_("The languages this channel shows (for your overview)."),
    )
    rate_limit_policy = models.CharField(
        _("rate limit"),
        max_length=32,
        default="standard",
        choices=_rate_limit_policies,
        help_text=_("How much the channel's keys may ask per minute (quotas are set per deployment)."),
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("An inactive channel's keys and origins are refused.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")

    def __str__(self) -> str:
        return self.name

    def origins(self) -> list[str]:
        """The allowed origins, normalised (an invalid line raises ValueError; ``clean`` refuses them)."""
        return parse_origins(self.allowed_origins)

    def clean(self) -> None:
        super().clean()
        try:
            self.allowed_origins = "\n".join(parse_origins(self.allowed_origins))
        except ValueError as error:
            raise ValidationError({"allowed_origins": str(error)}) from error


class ChannelKey(models.Model):
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="keys")
    label = models.CharField(_("label"), max_length=120, blank=True)
    prefix = models.CharField(_("key prefix"), max_length=16, unique=True, editable=False)
    digest = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.channel})"

    def is_valid(self, *, now) -> bool:
        return (
            self.revoked_at is None
            and (self.expires_at is None or self.expires_at > now)
            and self.channel.active
        )

    def state(self, *, now) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "valid" if self.channel.active else "channel inactive"
