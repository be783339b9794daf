"""StreamField blocks of a lesson body. Each renders with a template in templates/content/blocks/."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link", "code", "superscript", "subscript"]


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        label = _("Heading")
        template = "content/blocks/heading.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=255)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "content/blocks/image.html"


class VideoBlock(blocks.StructBlock):
    """An uploaded video file or the URL of an embeddable player (rendered as an iframe, no oEmbed request)."""

    file = DocumentChooserBlock(label=_("Video file"), required=False)
    embed_url = blocks.URLBlock(label=_("Embed URL"), required=False)
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=255)

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("file")) == bool(value.get("embed_url")):
            raise blocks.StructBlockValidationError(
                block_errors={"embed_url": blocks.BlockValidationError(_("Give either a video file or an embed URL."))}
            )
        return value

    class Meta:
        icon = "media"
        label = _("Video")
        template = "content/blocks/video.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    label = blocks.CharBlock(label=_("Link text"), required=False, max_length=255)

    class Meta:
        icon = "doc-full"
        label = _("Document download")
        template = "content/blocks/document.html"


class KeyPointsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=120)
    points = blocks.ListBlock(blocks.CharBlock(label=_("Point")), label=_("Points"), min_num=1)

    class Meta:
        icon = "pick"
        label = _("Key points")
        template = "content/blocks/key_points.html"


class StepsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=120)
    steps = blocks.ListBlock(blocks.CharBlock(label=_("Step")), label=_("Steps"), min_num=1)

    class Meta:
        icon = "list-ol"
        label = _("Step-by-step procedure")
        template = "content/blocks/steps.html"


class ChecklistBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=120)
    items = blocks.ListBlock(blocks.CharBlock(label=_("Item")), label=_("Items"), min_num=1)

    class Meta:
        icon = "tasks"
        label = _("Checklist")
        template = "content/blocks/checklist.html"


class GlossaryTermBlock(blocks.StructBlock):
    term = blocks.CharBlock(label=_("Term"), max_length=120)
    definition = blocks.TextBlock(label=_("Definition"))

    class Meta:
        icon = "help"
        label = _("Glossary term")
        template = "content/blocks/glossary_term.html"


class LessonBodyBlock(blocks.StreamBlock):
    rich_text = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES, label=_("Text"), template="content/blocks/rich_text.html"
    )
    heading = HeadingBlock()
    image = ImageBlock()
    video = VideoBlock()
    document = DocumentBlock()
    key_points = KeyPointsBlock()
    steps = StepsBlock()
    checklist = ChecklistBlock()
    glossary_term = GlossaryTermBlock()
