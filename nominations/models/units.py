from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..people import display_name
from ..roles import Role
from .bilingual import bilingual


class Unit(models.Model):
    """An organisational unit: the agency at the root, its departments, their units.

    `path` ("/1/4/9/") is kept by `save()` so that "this unit and everything below it" is one
    indexed prefix query; the tree is three or four levels deep and rarely changes.
    """

    class Kind(models.TextChoices):
        AGENCY = "agency", _("Agency")
        DEPARTMENT = "department", _("Department")
        UNIT = "unit", _("Unit")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.UNIT)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    path = models.CharField(max_length=255, editable=False, db_index=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    name = bilingual("name")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.pk is None:
            super().save(*args, **kwargs)
            kwargs = {k: v for k, v in kwargs.items() if k != "force_insert"}
        old_path = self.path
        self.path = (self.parent.path if self.parent_id else "/") + f"{self.pk}/"
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            for child in self.children.all():
                child.save()

    def is_within(self, other: "Unit") -> bool:
        """True if this unit is `other` or lies below it."""
        return self.path.startswith(other.path)

    def subtree(self):
        return Unit.objects.filter(path__startswith=self.path)


class Profile(models.Model):
    """A person: a Django user, the unit they work in and their position."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="people", verbose_name=_("unit")
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    # Years of service count from here (maternity leave counts as service: Decree 152/2025, Art. 4).
    service_start = models.DateField(_("in service since"), null=True, blank=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return f"{display_name(self.user)} — {self.position}"


class RoleAssignment(models.Model):
    """`user` holds `role` over `unit` and everything below it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=40, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="role_assignments", verbose_name=_("scope")
    )

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="unique_role_assignment")
        ]
        indexes = [models.Index(fields=["role", "unit"], name="role_assignment_scope_idx")]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} @ {self.unit}"


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday")
    DAY_OFF = "day_off", _("Compensatory day off")
    WORKING_DAY = "working_day", _("Working day (a weekend day worked in compensation)")


class Holiday(models.Model):
    """A day that breaks the Monday-to-Friday rule: a public holiday or a compensatory day off
    (not worked), or a weekend day worked in compensation. Deadlines count working days."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=DayKind.choices, default=DayKind.HOLIDAY
    )
    # Where the date comes from: the Labour Code's article, or the Prime Minister's notice
    # that fixes the year's Tết and compensatory days.
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")

    def __str__(self):
        return f"{self.date}: {self.name}"


class Delegation(models.Model):
    """`principal` lets `delegate` act in `role` over `unit` on the principal's behalf, from
    `starts_on` to `ends_on` inclusive. It ends by itself; the principal may revoke it sooner.
    Only a role the principal holds directly can be delegated: delegations do not chain."""

    DELEGABLE_ROLES = [
        Role.UNIT_HEAD,
        Role.PARTY_COMMITTEE_REVIEWER,
        Role.LEADERSHIP_REVIEWER,
        Role.COUNCIL_SECRETARY,
        Role.DECISION_SIGNER,
    ]

    principal = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="delegations_given",
        verbose_name=_("principal"),
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="delegations_received",
        verbose_name=_("acting"),
    )
    role = models.CharField(
        _("role"), max_length=40, choices=[(r.value, r.label) for r in DELEGABLE_ROLES]
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("scope")
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="delegation_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(principal=models.F("delegate")),
                name="delegation_not_to_self",
            ),
        ]
        indexes = [
            models.Index(fields=["delegate", "ends_on"], name="delegation_delegate_idx"),
        ]

    def __str__(self):
        return f"{self.principal} → {self.delegate}: {self.get_role_display()}"

    def is_active(self, today) -> bool:
        return self.revoked_at is None and self.starts_on <= today <= self.ends_on
