"""Badge classes and team requirements in the Wagtail admin. They are registered in the certificates menu group
(certificates/wagtail_hooks.py), where editors have always found them."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.snippets.views.snippets import SnippetViewSet

from badges.forms import BadgeClassForm, TeamRequiredBadgeForm
from badges.models import BadgeClass, TeamRequiredBadge


class BadgeClassViewSet(SnippetViewSet):
    """Badge classes; awards change only through the services (automatic, manual award, revoke)."""

    model = BadgeClass
    icon = "pick"
    menu_label = _("Badges")
    list_display = ["name", "skill_area", "issuer", "validity_months", "is_active"]
    list_filter = ["skill_area", "is_active"]
    search_fields = ["name", "name_en"]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("slug"),
                    FieldPanel("name"),
                    FieldPanel("name_en"),
                    FieldPanel("description"),
                    FieldPanel("description_en"),
                    FieldPanel("image"),
                    FieldPanel("skill_area"),
                    FieldPanel("issuer"),
                ],
                heading=_("What and who"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("criteria_narrative"),
                    FieldPanel("courses"),
                    FieldPanel("refresher_courses"),
                    FieldPanel("rubrics"),
                    FieldPanel("within_months"),
                ],
                heading=_("Criteria"),
            ),
            MultiFieldPanel([FieldPanel("validity_months"), FieldPanel("is_active")], heading=_("Validity")),
        ],
        base_form_class=BadgeClassForm,
    )


class TeamRequiredBadgeViewSet(SnippetViewSet):
    model = TeamRequiredBadge
    icon = "group"
    menu_label = _("Team requirements")
    list_display = ["team", "badge_class"]
    edit_handler = ObjectList([FieldPanel("team"), FieldPanel("badge_class")], base_form_class=TeamRequiredBadgeForm)
