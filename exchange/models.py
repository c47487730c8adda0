"""Trusted senders and the bundles imported from them.

A bundle is trusted only through a `Partner` an administrator registered here, never through
the public key it carries: the receiving office compares keys out of band (the fingerprint)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit import signing


def fingerprint_of(pem: str) -> str:
    """The key's short name (`audit.signing.key_id`), as both Laurels print it."""
    return signing.key_id(signing.public_key_from_pem(pem.encode()))


class Partner(models.Model):
    """Another Laurel whose bundles this one imports: its public key, and the local unit that
    stands for it (the imported nominations' proposing unit)."""

    code = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("The sender's agency code, as its bundles name it."),
    )
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    public_key_pem = models.TextField(
        _("public key (PEM)"),
        help_text=_(
            "The sender's Ed25519 public key, received from the sender by a trusted channel. "
            "Compare its fingerprint with theirs before saving."
        ),
    )
    unit = models.ForeignKey(
        "nominations.Unit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("local unit"),
        help_text=_("The unit that stands for the sender here: imported nominations are its."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("partner Laurel")
        verbose_name_plural = _("partner Laurels")

    def __str__(self):
        return f"{self.name_vi} ({self.code})"

    def clean(self):
        try:
            fingerprint_of(self.public_key_pem or "")
        except signing.KeyFileError:
            raise ValidationError(
                {"public_key_pem": _("This is not an Ed25519 public key in PEM form.")}
            ) from None

    @property
    def fingerprint(self) -> str:
        try:
            return fingerprint_of(self.public_key_pem)
        except signing.KeyFileError:
            return ""


class ImportedBundle(models.Model):
    """A bundle imported once: what it said (its manifest, kept) and what it made."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="bundles", verbose_name=_("sender")
    )
    reference = models.CharField(_("request reference"), max_length=100)
    campaign = models.ForeignKey("nominations.Campaign", on_delete=models.PROTECT, related_name="+")
    manifest = models.JSONField(_("manifest"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported"), default=timezone.now)
    nominations = models.ManyToManyField(
        "nominations.Nomination", related_name="imported_bundles", verbose_name=_("nominations")
    )

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name = _("imported bundle")
        verbose_name_plural = _("imported bundles")

    def __str__(self):
        return f"{self.reference} ({self.partner.code})"
