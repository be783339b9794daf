"""What a certificate certifies, who issues it, how it looks and how it is numbered."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from certificates.layouts import validate_layout_css, validate_layout_html


class CertificateKind(models.TextChoices):
    COURSE = "course", _("Course completion")
    CURRICULUM = "curriculum", _("Curriculum completion")
    SERVICE_RECORD = "service_record", _("Volunteer service record (志愿服务记录证明)")
    SCHOOL_YEAR = "school_year", _("School-year hours certificate")


number_prefix_validator = RegexValidator(r"^[A-Z0-9]{1,12}$", _("Use 1 to 12 capital letters or digits, e.g. ZYPX."))


class CertificateDefinition(models.Model):
    """One kind of certificate an organisation issues: per course, per curriculum, or per organisation."""

    kind = models.CharField(_("kind"), max_length=20, choices=CertificateKind.choices)
    title = models.CharField(_("title"), max_length=128)
    title_en = models.CharField(_("title (English)"), max_length=128, blank=True)
    issuer = models.ForeignKey(
        Organization, verbose_name=_("issuing organisation"), on_delete=models.PROTECT, related_name="+"
    )
    course = models.ForeignKey(
        "content.CoursePage",
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificate_definitions",
    )
    curriculum = models.ForeignKey(
        "content.CurriculumPage",
        verbose_name=_("curriculum"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificate_definitions",
    )
    person_in_charge = models.CharField(_("person in charge"), max_length=64, blank=True)
    person_in_charge_signature = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("signature of the person in charge"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handler_name = models.CharField(_("handler (经办人)"), max_length=64, blank=True)
    handler_contact = models.CharField(_("handler's contact"), max_length=64, blank=True)
    handler_signature = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("signature of the handler"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    seal_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("seal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    layout_html = models.TextField(
        _("layout (HTML)"),
        blank=True,
        validators=[validate_layout_html],
        help_text=_(
            "The page body in Django template syntax, with the certificate's fields only (c.title, c.holder_name, "
            "c.number and the other fields of c; verify_url, qr_data_uri, seal_url) and the tags if, for and with; "
            "nothing can be loaded or included. Leave empty for the standard layout of this kind."
        ),
    )
    layout_css = models.TextField(_("extra CSS"), blank=True, validators=[validate_layout_css])
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months)"), null=True, blank=True, help_text=_("Leave empty for no expiry.")
    )
    number_prefix = models.CharField(_("number prefix"), max_length=12, validators=[number_prefix_validator])
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("certificate definition")
        verbose_name_plural = _("certificate definitions")
        ordering = ["issuer__name", "title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="course") | Q(course__isnull=False), name="certdef_course_kind_has_course"
            ),
            models.CheckConstraint(
                condition=~Q(kind="curriculum") | Q(curriculum__isnull=False),
                name="certdef_curriculum_kind_has_curriculum",
            ),
            models.UniqueConstraint(
                fields=["course"], condition=Q(kind="course", is_active=True), name="certdef_one_active_per_course"
            ),
            models.UniqueConstraint(
                fields=["curriculum"],
                condition=Q(kind="curriculum", is_active=True),
                name="certdef_one_active_per_curriculum",
            ),
            models.UniqueConstraint(
                fields=["issuer", "kind"],
                condition=Q(kind__in=["service_record", "school_year"], is_active=True),
                name="certdef_one_active_per_issuer_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.issuer})"

    @property
    def permission_organization(self) -> Organization:
        return self.issuer


class CertificateNumberCounter(models.Model):
    """The last number used per issuer, year and prefix; locked while issuing so that numbers have no gaps."""

    issuer = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    prefix = models.CharField(max_length=12)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("certificate number counter")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "year", "prefix"], name="certcounter_unique_issuer_year_prefix")
        ]

    def __str__(self) -> str:
        return f"{self.issuer_id} {self.prefix}{self.year}: {self.last_number}"
