"""Demo certificate definitions: one per demo course that earns a certificate (issued by its training base), a
certificate per demo curriculum, and the service-record and school-year certificates of the demo schools.
Idempotent: needs the demo organisations and curriculum (accounts/demo.py, content/demo.py) loaded first."""

from __future__ import annotations

from django.db import transaction

from accounts.constants import OrganizationKind
from accounts.models import Organization
from certificates.models import CertificateDefinition, CertificateKind
from content.models import CoursePage, CurriculumPage, TrainingBasePage

PERSON_IN_CHARGE = {
    "volunteer-college": ("刘院长", "周老师", "024-52001234"),
    "party-school": ("孙校长", "吴老师", "024-52005678"),
    "vocational-college": ("马校长", "陈老师", "024-52003456"),
    "no1-middle-school": ("黄校长", "刘老师", "024-52007890"),
    "experimental-primary": ("林校长", "何老师", "024-52002468"),
}
PREFIXES = {
    "volunteer-college": "ZYXY",
    "party-school": "DXJD",
    "vocational-college": "ZYJS",
    "no1-middle-school": "YZ",
    "experimental-primary": "SYXX",
}


def _signatories(organization: Organization) -> dict:
    person, handler, contact = PERSON_IN_CHARGE.get(organization.slug, ("", "", organization.contact_phone))
    return {"person_in_charge": person, "handler_name": handler, "handler_contact": contact}


def _ensure(*, lookup: dict, defaults: dict) -> tuple[CertificateDefinition, bool]:
    definition = CertificateDefinition.objects.filter(**lookup, is_active=True).first()
    if definition is not None:
        return definition, False
    return CertificateDefinition.objects.create(**lookup, **defaults), True


@transaction.atomic
def load() -> dict[str, int]:
    created = 0
    for base in TrainingBasePage.objects.live().select_related("organization"):
        issuer = base.organization
        if issuer is None:
            continue
        prefix = PREFIXES.get(issuer.slug, "ZYPX")
        for curriculum in CurriculumPage.objects.child_of(base).live():
            _definition, was_created = _ensure(
                lookup={"kind": CertificateKind.CURRICULUM, "curriculum": curriculum},
                defaults={
                    "title": f"{curriculum.title}结业证书",
                    "title_en": f"{curriculum.title_en or curriculum.title}: certificate of completion",
                    "issuer": issuer,
                    "number_prefix": prefix + "JY",
                    **_signatories(issuer),
                },
            )
            created += was_created
            for course in CoursePage.objects.child_of(curriculum).live().filter(earns_certificate=True):
                _definition, was_created = _ensure(
                    lookup={"kind": CertificateKind.COURSE, "course": course},
                    defaults={
                        "title": "志愿服务培训合格证书",
                        "title_en": "Volunteer Training Certificate",
                        "issuer": issuer,
                        "number_prefix": prefix,
                        "validity_months": 36 if course.skill_area == "first_aid" else None,
                        **_signatories(issuer),
                    },
                )
                created += was_created
    for school in Organization.objects.filter(kind__in=[OrganizationKind.COLLEGE, OrganizationKind.SCHOOL]):
        prefix = PREFIXES.get(school.slug, "XX")
        for kind, title, title_en, suffix in (
            (CertificateKind.SERVICE_RECORD, "志愿服务记录证明", "Volunteer Service Record", "JL"),
            (CertificateKind.SCHOOL_YEAR, "学年志愿服务学时证明", "School-Year Volunteer Hours Certificate", "XN"),
        ):
            _definition, was_created = _ensure(
                lookup={"kind": kind, "issuer": school},
                defaults={
                    "title": title,
                    "title_en": title_en,
                    "number_prefix": prefix + suffix,
                    **_signatories(school),
                },
            )
            created += was_created
    return {"definitions": CertificateDefinition.objects.filter(is_active=True).count(), "created": created}
