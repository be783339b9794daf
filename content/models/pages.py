"""The page tree: HomePage > TrainingBasePage > CurriculumPage > CoursePage > LessonPage."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from accounts.constants import OrganizationKind, SkillArea
from content.admin_forms import CoursePageForm, TrainingBasePageForm
from content.blocks import LessonBodyBlock


class Audience(models.TextChoices):
    VOLUNTEERS = "volunteers", _("Volunteers")
    COLLEGE = "college", _("College students")
    SCHOOL = "school", _("School pupils")


class Level(models.TextChoices):
    BEGINNER = "beginner", _("Beginner")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


KEY_HELP = _("A stable identifier used by curriculum packages (letters, digits and hyphens). Do not change it.")


class AudienceFields(models.Model):
    """One boolean per audience: portable across SQLite and PostgreSQL and cheap to filter on."""

    for_volunteers = models.BooleanField(_("for volunteers"), default=False)
    for_college = models.BooleanField(_("for college students"), default=False)
    for_school = models.BooleanField(_("for school pupils"), default=False)

    audience_panel = MultiFieldPanel(
        [FieldPanel("for_volunteers"), FieldPanel("for_college"), FieldPanel("for_school")], heading=_("Audience")
    )

    class Meta:
        abstract = True

    @property
    def audiences(self) -> list[str]:
        return [audience for audience in Audience.values if getattr(self, f"for_{audience}")]

    @property
    def audience_labels(self) -> list[str]:
        return [str(Audience(audience).label) for audience in self.audiences]

    def set_audiences(self, audiences: list[str]) -> None:
        for audience in Audience.values:
            setattr(self, f"for_{audience}", audience in audiences)


class HomePage(Page):
    intro = models.TextField(_("introduction"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("intro_en")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["content.TrainingBasePage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        # Wagtail walks one level at a time (two queries per level, ten for a lesson); the whole url_path finds
        # the page in two. Anything not found this way (a sub-route of a routable page) takes Wagtail's walk.
        if path_components:
            url_path = self.url_path + "/".join(path_components) + "/"
            # One page at most (url_path is unique within this tree): no ORDER BY, which first() would add and which
            # cost more to compile than the lookup takes (bench s1).
            found = Page.objects.filter(url_path=url_path, path__startswith=self.path).order_by().specific()[:1]
            page = next(iter(found), None)
            if page is not None:
                return page.route(request, [])
        return super().route(request, path_components)


class TrainingBasePage(Page):
    """The root of one training base's subtree; its organisation's editors work only below it."""

    key = models.SlugField(_("key"), max_length=64, help_text=KEY_HELP)
    organization = models.OneToOneField(
        "accounts.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="training_base_page",
        limit_choices_to={"kind": OrganizationKind.TRAINING_BASE},
    )
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    intro = models.TextField(_("introduction"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("title_en"),
        FieldPanel("key"),
        FieldPanel("organization"),
        FieldPanel("intro"),
        FieldPanel("intro_en"),
    ]
    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.CurriculumPage"]
    exclude_fields_in_copy = ["key", "organization"]
    base_form_class = TrainingBasePageForm

    class Meta:
        verbose_name = _("training base")
        constraints = [
            models.UniqueConstraint(fields=["key"], condition=~Q(key=""), name="trainingbasepage_unique_key"),
        ]

    @property
    def permission_organization(self):
        return self.organization

    def get_context(self, request, *args, **kwargs):
        from content.selectors import CatalogueFilters, catalogue_entries

        context = super().get_context(request, *args, **kwargs)
        context["entries"] = catalogue_entries(filters=CatalogueFilters(base=self.key))
        return context


class CurriculumPage(AudienceFields, Page):
    """A programme (one track of courses) of a training base, with its audience; hours add up from its courses."""

    key = models.SlugField(_("key"), max_length=64, help_text=KEY_HELP)
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("title_en"),
        FieldPanel("key"),
        FieldPanel("summary"),
        FieldPanel("summary_en"),
        AudienceFields.audience_panel,
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.FilterField("for_volunteers")]
    parent_page_types = ["content.TrainingBasePage"]
    subpage_types = ["content.CoursePage"]
    exclude_fields_in_copy = ["key"]

    class Meta:
        verbose_name = _("curriculum")
        constraints = [
            models.UniqueConstraint(fields=["key"], condition=~Q(key=""), name="curriculumpage_unique_key"),
        ]

    def __str__(self) -> str:  # Page.__str__, restated: AudienceFields comes first in the bases
        return self.title

    def total_credit_hours(self) -> Decimal:
        total = CoursePage.objects.child_of(self).live().aggregate(total=models.Sum("credit_hours"))["total"]
        return total or Decimal("0")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        courses = list(CoursePage.objects.child_of(self).live().order_by("path"))
        context["courses"] = courses
        context["total_credit_hours"] = sum((course.credit_hours for course in courses), Decimal("0"))
        return context


class CoursePage(AudienceFields, Page):
    """A course: the unit a learner enrols in and completes for credit 学时."""

    key = models.SlugField(_("key"), max_length=64, help_text=KEY_HELP)
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    summary = models.TextField(_("summary"))
    summary_en = models.TextField(_("summary (English)"), blank=True)
    objectives = models.TextField(_("learning objectives"), blank=True, help_text=_("One objective per line."))
    objectives_en = models.TextField(
        _("learning objectives (English)"), blank=True, help_text=_("One objective per line, same order.")
    )
    credit_hours = models.DecimalField(
        _("credit 学时"), max_digits=4, decimal_places=1, default=Decimal("1"), validators=[MinValueValidator(0)]
    )
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, default=Level.BEGINNER)
    skill_area = models.CharField(_("skill area"), max_length=32, choices=SkillArea.choices, default=SkillArea.GENERAL)
    prerequisites = ParentalManyToManyField(
        "self", verbose_name=_("prerequisite courses"), blank=True, symmetrical=False, related_name="required_by"
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    estimated_minutes = models.PositiveIntegerField(_("estimated minutes"), default=60)
    earns_certificate = models.BooleanField(_("completion earns a certificate"), default=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("title_en"),
        FieldPanel("key"),
        FieldPanel("summary"),
        FieldPanel("summary_en"),
        FieldPanel("objectives"),
        FieldPanel("objectives_en"),
        MultiFieldPanel(
            [
                FieldPanel("credit_hours"),
                FieldPanel("estimated_minutes"),
                FieldPanel("level"),
                FieldPanel("skill_area"),
                FieldPanel("earns_certificate"),
            ],
            heading=_("Credit and classification"),
        ),
        AudienceFields.audience_panel,
        FieldPanel("prerequisites"),
        FieldPanel("cover_image"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("title_en"),
        index.SearchField("summary"),
        index.SearchField("summary_en"),
        index.SearchField("objectives"),
        index.SearchField("search_bigrams"),
        index.FilterField("skill_area"),
    ]
    parent_page_types = ["content.CurriculumPage"]
    subpage_types = ["content.LessonPage"]
    exclude_fields_in_copy = ["key"]
    base_form_class = CoursePageForm

    class Meta:
        verbose_name = _("course")
        constraints = [
            models.UniqueConstraint(fields=["key"], condition=~Q(key=""), name="coursepage_unique_key"),
            models.CheckConstraint(condition=Q(credit_hours__gte=0), name="coursepage_credit_hours_not_negative"),
        ]

    def __str__(self) -> str:  # Page.__str__, restated: AudienceFields comes first in the bases
        return self.title

    @property
    def objective_list(self) -> list[str]:
        return [line.strip() for line in self.objectives.splitlines() if line.strip()]

    @property
    def objective_list_en(self) -> list[str]:
        return [line.strip() for line in self.objectives_en.splitlines() if line.strip()]

    def search_bigrams(self) -> str:
        from content.search import bigram_document

        return bigram_document(self.title, self.summary, self.objectives)

    def get_context(self, request, *args, **kwargs):
        from content.selectors import course_lessons, course_prerequisites

        context = super().get_context(request, *args, **kwargs)
        context["lessons"] = course_lessons(course=self)
        context["prerequisites"] = course_prerequisites(course=self)
        context["curriculum"] = Page.objects.only("id", "title", "url_path", "path", "depth").get(
            path=self.path[: -self.steplen]
        )
        return context


class LessonPage(Page):
    """One lesson of a course; its key is unique within the course (the importer checks it)."""

    key = models.SlugField(_("key"), max_length=64, help_text=KEY_HELP)
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    estimated_minutes = models.PositiveIntegerField(_("estimated minutes"), default=15)
    body = StreamField(LessonBodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("title_en"),
        FieldPanel("key"),
        FieldPanel("estimated_minutes"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("title_en"),
        index.SearchField("body"),
        index.SearchField("search_bigrams"),
    ]
    parent_page_types = ["content.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")

    def search_bigrams(self) -> str:
        from content.search import bigram_document

        return bigram_document(self.title, " ".join(self.body.stream_block.get_searchable_content(self.body)))

    def get_context(self, request, *args, **kwargs):
        from content.selectors import lesson_neighbours

        context = super().get_context(request, *args, **kwargs)
        context["course"] = CoursePage.objects.get(path=self.path[: -self.steplen])
        context["neighbours"] = lesson_neighbours(lesson=self)
        return context

    def serve(self, request, *args, **kwargs):
        from content.rich_text import page_links_prefetched

        # Render inside the block: a TemplateResponse renders lazily, after serve() returns.
        with page_links_prefetched(self.body):
            response = super().serve(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
        return response

    def serve_preview(self, request, mode_name):
        from content.rich_text import page_links_prefetched

        with page_links_prefetched(self.body):
            response = super().serve_preview(request, mode_name)
            if hasattr(response, "render"):
                response.render()
        return response
