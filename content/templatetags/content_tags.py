"""Template helpers for bilingual content fields."""

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def bilingual(obj, field: str):
    """`obj.<field>_en` when the active language is English and it is filled in, else `obj.<field>`."""
    if (get_language() or "").startswith("en"):
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, field, "")


@register.filter
def bilingual_list(obj, field: str):
    """The English list property `<field>_en` in English when it has items, else `<field>`."""
    if (get_language() or "").startswith("en"):
        english = getattr(obj, f"{field}_en", None)
        if english:
            return english
    return getattr(obj, field, [])
