"""Certificate definitions in the Wagtail admin. Issued certificates change only through the services (revoke,
re-issue) on the issuer pages, so they have no admin edit view."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from badges.wagtail_hooks import BadgeClassViewSet, TeamRequiredBadgeViewSet
from certificates.forms import CertificateDefinitionForm
from certificates.models import CertificateDefinition


class CertificateDefinitionViewSet(SnippetViewSet):
    model = CertificateDefinition
    icon = "doc-full"
    menu_label = _("Certificate definitions")
    list_display = ["title", "kind", "issuer", "number_prefix", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["title", "title_en"]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [FieldPanel("kind"), FieldPanel("title"), FieldPanel("title_en"), FieldPanel("issuer")],
                heading=_("What and who"),
            ),
            MultiFieldPanel([FieldPanel("course"), FieldPanel("curriculum")], heading=_("Course or curriculum")),
            MultiFieldPanel(
                [
                    FieldPanel("person_in_charge"),
                    FieldPanel("person_in_charge_signature"),
                    FieldPanel("handler_name"),
                    FieldPanel("handler_contact"),
                    FieldPanel("handler_signature"),
                    FieldPanel("seal_image"),
                ],
                heading=_("Signatories and seal"),
            ),
            MultiFieldPanel(
                [FieldPanel("number_prefix"), FieldPanel("validity_months"), FieldPanel("is_active")],
                heading=_("Numbering and validity"),
            ),
            MultiFieldPanel([FieldPanel("layout_html"), FieldPanel("layout_css")], heading=_("Layout")),
        ],
        base_form_class=CertificateDefinitionForm,
    )


class CertificatesViewSetGroup(SnippetViewSetGroup):
    items = (CertificateDefinitionViewSet, BadgeClassViewSet, TeamRequiredBadgeViewSet)
    menu_icon = "doc-full"
    menu_label = _("Certificates")
    menu_name = "certificates"


register_snippet(CertificatesViewSetGroup)
