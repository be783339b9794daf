"""Benchmark data: built with bulk_create for scale, with the same rows the services would write.

The "school world" (scenarios 4 and 7) is built once per run: 100,000 users, a college with 5,000 students in 50
classes, every user a learner of some organisation with the guardian object permission that membership grants, and
200,000 hours entries (150,000 of the students' over two school years, the rest other users'). QUICK builds 1/50.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from guardian.models import UserObjectPermission
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page

from accounts.constants import OrganizationKind, Role
from accounts.models import Membership, Organization, User
from accounts.services import membership_add
from content.models import CoursePage, CurriculumPage, LessonPage
from content.services import home_page_ensure, training_base_page_ensure
from hours.models import HoursEntry, HoursKind, HoursStatus
from schools.models import SchoolClass, StudentProfile

BATCH = 5000
SCHOOL_YEAR = "2026-2027"
PREVIOUS_YEAR = "2025-2026"
_counter = {"value": 0}


def unique(prefix: str) -> str:
    _counter["value"] += 1
    return f"{prefix}{_counter['value']}"


def unique_number() -> int:
    _counter["value"] += 1
    return _counter["value"]


def scale(full: int, quick: bool, divisor: int = 50) -> int:
    return max(1, full // divisor) if quick else full


def organization(*, kind: str, slug: str, name: str, parent: Organization | None = None) -> Organization:
    org, _created = Organization.objects.get_or_create(
        slug=slug, defaults={"kind": kind, "name": name, "parent": parent}
    )
    return org


def user(username: str, **fields) -> User:
    account = User(username=username, real_name=fields.pop("real_name", username), **fields)
    account.set_password("bench-password-42")
    account.save()
    return account


def view_permission() -> Permission:
    content_type = ContentType.objects.get_for_model(Organization)
    return Permission.objects.get(content_type=content_type, codename="view_organization")


def learners_bulk(*, prefix: str, count: int, organization: Organization, start: int = 0) -> list[int]:
    """`count` learners of `organization`: users, memberships and the guardian row membership_add would write."""
    users = [
        User(
            username=f"{prefix}{index}",
            real_name=f"学员{index}",
            password="!",  # unusable, as for an imported student before activation
            volunteer_number=f"ZB{unique_number():012d}",
        )
        for index in range(start, start + count)
    ]
    ids: list[int] = []
    permission = view_permission()
    content_type = ContentType.objects.get_for_model(Organization)
    for offset in range(0, len(users), BATCH):
        created = User.objects.bulk_create(users[offset : offset + BATCH], batch_size=BATCH)
        if created and created[0].pk is None:  # SQLite before 3.35 returns no ids
            names = [account.username for account in created]
            created = list(User.objects.filter(username__in=names).only("id"))
        batch_ids = [account.pk for account in created]
        Membership.objects.bulk_create(
            [Membership(user_id=pk, organization=organization, role=Role.LEARNER) for pk in batch_ids],
            batch_size=BATCH,
        )
        UserObjectPermission.objects.bulk_create(
            [
                UserObjectPermission(
                    user_id=pk, permission=permission, content_type=content_type, object_pk=str(organization.pk)
                )
                for pk in batch_ids
            ],
            batch_size=BATCH,
        )
        ids.extend(batch_ids)
    return ids


@dataclass
class SchoolWorld:
    city: Organization
    college: Organization
    coordinator: User
    student_user_ids: list[int]
    users: int
    entries: int
    classes: int


_world: SchoolWorld | None = None


def school_world(*, quick: bool) -> SchoolWorld:
    global _world
    if _world is not None:
        return _world
    rng = random.Random(10)
    total_users = scale(100_000, quick)
    students = scale(5_000, quick)
    total_entries = scale(200_000, quick)
    class_count = 50 if not quick else 5
    with transaction.atomic():
        city = organization(kind=OrganizationKind.CITY_OFFICE, slug="bench-city", name="基准市志愿服务指导中心")
        college = organization(
            kind=OrganizationKind.COLLEGE, slug="bench-college", name="基准职业技术学院", parent=city
        )
        others = [
            organization(
                kind=OrganizationKind.SCHOOL, slug=f"bench-school-{index}", name=f"基准中学{index}", parent=city
            )
            for index in range(20)
        ]
        coordinator = user("bench-coordinator", real_name="协调员")
        membership_add(user=coordinator, organization=college, role=Role.COORDINATOR)
        classes = SchoolClass.objects.bulk_create(
            [
                SchoolClass(organization=college, name=f"{2026 - index % 4}级{index}班", grade=f"{index % 4 + 1}年级")
                for index in range(class_count)
            ]
        )
        if classes[0].pk is None:
            classes = list(SchoolClass.objects.filter(organization=college))
        student_ids = learners_bulk(prefix="stu", count=students, organization=college)
        StudentProfile.objects.bulk_create(
            [
                StudentProfile(
                    user_id=pk,
                    organization=college,
                    student_number=f"2026{index:06d}",
                    grade=classes[index % len(classes)].grade,
                    school_class=classes[index % len(classes)],
                )
                for index, pk in enumerate(student_ids)
            ],
            batch_size=BATCH,
        )
        remaining = total_users - students
        other_ids: list[int] = []
        per_org = -(-remaining // len(others))
        for index, org in enumerate(others):
            count = min(per_org, remaining - len(other_ids))
            if count <= 0:
                break
            other_ids.extend(learners_bulk(prefix=f"v{index}-", count=count, organization=org))

        now = timezone.now()
        student_entries = total_entries * 3 // 4
        kinds = [HoursKind.LEARNING, HoursKind.PRACTICE, HoursKind.TRAINING]
        statuses = [HoursStatus.VERIFIED] * 6 + [HoursStatus.PENDING, HoursStatus.REJECTED]
        entries = []
        for index in range(total_entries):
            if index < student_entries:
                owner = student_ids[index % len(student_ids)]
                credited = college
            else:
                owner = other_ids[index % len(other_ids)] if other_ids else student_ids[0]
                credited = others[index % len(others)]
            year = SCHOOL_YEAR if index % 3 else PREVIOUS_YEAR
            status = statuses[rng.randrange(len(statuses))]
            entries.append(
                HoursEntry(
                    user_id=owner,
                    kind=kinds[rng.randrange(3)],
                    minutes=rng.choice([15, 20, 30, 45, 60]),
                    occurred_on=datetime.date(2026 if year == SCHOOL_YEAR else 2025, 10, 1 + index % 28),
                    school_year=year,
                    credited_organization=credited,
                    recorded_by_organization=credited,
                    source_key=f"bench:{index}",
                    status=status,
                    verified_at=now if status == HoursStatus.VERIFIED else None,
                )
            )
            if len(entries) == BATCH:
                HoursEntry.objects.bulk_create(entries, batch_size=BATCH)
                entries = []
        if entries:
            HoursEntry.objects.bulk_create(entries, batch_size=BATCH)
    _analyze()
    _world = SchoolWorld(
        city=city,
        college=college,
        coordinator=coordinator,
        student_user_ids=student_ids,
        users=User.objects.count(),
        entries=HoursEntry.objects.count(),
        classes=len(classes),
    )
    return _world


def _analyze() -> None:
    """Fresh statistics after bulk loading, as autovacuum would give a production database."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# ---------------------------------------------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------------------------------------------


def page_tree_root_ensure() -> None:
    if Page.get_first_root_node() is None:
        locale, _created = Locale.objects.get_or_create(language_code=get_supported_content_language_variant("zh-hans"))
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale, live=True))


def _publish(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def course_tree(*, lessons: int = 3, **course_fields) -> tuple[Organization, CoursePage, list[LessonPage]]:
    """A training base with a published curriculum > course > lessons; returns (base organisation, course, lessons)."""
    page_tree_root_ensure()
    home_page_ensure(title="首页")
    slug = unique("bench-base-")
    base_org = organization(kind=OrganizationKind.TRAINING_BASE, slug=slug, name=f"基准培训基地{slug}")
    base = training_base_page_ensure(organization=base_org, key=slug, title=base_org.name, title_en=slug)
    curriculum = _publish(
        base, CurriculumPage(title="应急救护", key=unique("curr-"), slug=unique("curr-"), for_volunteers=True)
    )
    course_fields.setdefault("summary", "基准测试课程。")
    key = unique("course-")
    course = _publish(
        curriculum, CoursePage(title="心肺复苏与AED", key=key, slug=key, for_volunteers=True, **course_fields)
    )
    lesson_pages = []
    for index in range(lessons):
        key = unique("lesson-")
        lesson_pages.append(
            _publish(
                course, LessonPage(title=f"第{index + 1}课", key=key, slug=key, body=[("rich_text", "<p>正文。</p>")])
            )
        )
    return base_org, course, lesson_pages


def lesson_body(target_ids: list[int], links: int = 30) -> list[tuple[str, object]]:
    """Twenty blocks: twelve rich-text blocks carrying `links` internal page links, and eight others."""
    link_html = [
        f'<a linktype="page" id="{target_ids[index % len(target_ids)]}">链接{index}</a>' for index in range(links)
    ]
    parts: list[list[str]] = [[] for _ in range(12)]
    for index, link in enumerate(link_html):
        parts[index % 12].append(link)
    blocks: list[tuple[str, object]] = [
        ("rich_text", f"<p>第{index}段：胸外按压的位置在两乳头连线中点。{' '.join(links_)}</p>")
        for index, links_ in enumerate(parts)
    ]
    blocks += [
        ("heading", "小标题"),
        ("heading", "另一个小标题"),
        ("key_points", {"title": "", "points": ["按压深度 5-6 厘米", "频率 100-120 次/分"]}),
        ("steps", {"title": "", "steps": ["确认安全", "判断意识"]}),
        ("checklist", {"title": "", "items": ["手套", "口罩"]}),
        ("glossary_term", {"term": "AED", "definition": "自动体外除颤器"}),
        ("video", {"file": None, "embed_url": "https://player.example.org/embed/1", "caption": "演示"}),
        ("heading", "小结"),
    ]
    return blocks


def rich_text_blocks(target_ids: list[int], links: int = 30) -> list[str]:
    """The same content as lesson_body, every block as rich-text HTML (what the peer's StreamField can hold)."""
    html = []
    for block_type, value in lesson_body(target_ids, links):
        if block_type == "rich_text":
            html.append(str(value))
        elif block_type == "heading":
            html.append(f"<h2>{value}</h2>")
        elif block_type in ("key_points", "steps", "checklist"):
            items = next(v for k, v in value.items() if k != "title")  # type: ignore[union-attr]
            tag = "ol" if block_type == "steps" else "ul"
            html.append(f"<{tag}>{''.join(f'<li>{item}</li>' for item in items)}</{tag}>")
        elif block_type == "glossary_term":
            html.append(f"<p><b>{value['term']}</b> {value['definition']}</p>")  # type: ignore[index]
        else:
            html.append(f"<p>{value['caption']}</p>")  # type: ignore[index]
    return html


# ---------------------------------------------------------------------------------------------------------------
# Certificates
# ---------------------------------------------------------------------------------------------------------------


def certificate_setup(*, learners: int):
    """A course earning a certificate, its definition, and `learners` completions (bulk: no signal, no issuing)."""
    from certificates.models import CertificateDefinition, CertificateKind
    from courses.models import CourseCompletion

    base_org, course, _lessons = course_tree(lessons=1, earns_certificate=True, credit_hours=2)
    definition = CertificateDefinition.objects.create(
        kind=CertificateKind.COURSE,
        title="培训合格证书",
        title_en="Certificate of Training",
        issuer=base_org,
        course=course,
        number_prefix=unique("B")[:12],
        person_in_charge="王主任",
        handler_name="李经办",
        handler_contact="024-12345678",
    )
    ids = learners_bulk(prefix=unique("cert") + "-", count=learners, organization=base_org)
    now = timezone.now()
    CourseCompletion.objects.bulk_create(
        [CourseCompletion(user_id=pk, course=course, completed_at=now, credit_minutes=120) for pk in ids],
        batch_size=BATCH,
    )
    completions = list(CourseCompletion.objects.filter(course=course).order_by("pk").values_list("pk", flat=True))
    return definition, completions
