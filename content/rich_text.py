"""Internal page links in rich text, expanded with one query per rendered page instead of one per block.

Wagtail's PageLinkHandler fetches the linked pages of each rich-text value separately (and `.specific()` adds a
query per page type), so a lesson with twenty text blocks costs up to forty queries. A lesson view collects every
linked id of its body first (`page_links_prefetched`), loads them in one query, and the handler below reads from
that map; outside such a block it still works, with one query per rich-text value.
"""

from __future__ import annotations

import contextlib
import contextvars
import re
from collections.abc import Iterator

from django.utils.html import escape
from wagtail.models import Page
from wagtail.rich_text.pages import PageLinkHandler

_PREFETCHED: contextvars.ContextVar[dict[str, Page] | None] = contextvars.ContextVar("prefetched_pages", default=None)
PAGE_LINK_ID = re.compile(r'<a\b[^>]*\blinktype="page"[^>]*>')
ID_ATTRIBUTE = re.compile(r'\bid="(\d+)"')
URL_FIELDS = ("id", "url_path", "depth", "path", "live", "locale_id", "content_type_id")


def _load_pages(ids: set[str]) -> dict[str, Page]:
    pages = Page.objects.filter(id__in=[int(page_id) for page_id in ids]).only(*URL_FIELDS)
    return {str(page.pk): page for page in pages}


class PrefetchingPageLinkHandler(PageLinkHandler):
    """Same output as Wagtail's handler; reads pages from the prefetched map when one is active."""

    @classmethod
    def get_many(cls, attrs_list: list[dict]) -> list[Page | None]:
        ids = [str(attrs.get("id")) for attrs in attrs_list]
        known = _PREFETCHED.get()
        if known is None:
            known = _load_pages(set(ids))
        else:
            missing = {page_id for page_id in ids if page_id not in known}
            if missing:
                known.update(_load_pages(missing))
        return [known.get(page_id) for page_id in ids]

    @classmethod
    def expand_db_attributes_many(cls, attrs_list: list[dict]) -> list[str]:
        # Base pages suffice: none of our page types overrides URL routing, so `url` needs no specific instance.
        return [f'<a href="{escape(page.url)}">' if page else "<a>" for page in cls.get_many(attrs_list)]


def linked_page_ids(html_fragments: list[str]) -> set[str]:
    ids: set[str] = set()
    for html in html_fragments:
        for tag in PAGE_LINK_ID.findall(html):
            found = ID_ATTRIBUTE.search(tag)
            if found:
                ids.add(found.group(1))
    return ids


def rich_text_sources(stream) -> list[str]:
    """The stored HTML of every rich-text value in a StreamField, at any nesting depth."""
    sources: list[str] = []

    def walk(value) -> None:
        if hasattr(value, "source"):
            sources.append(value.source)
        elif isinstance(value, dict) or (hasattr(value, "values") and not isinstance(value, str)):
            for item in value.values():
                walk(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(getattr(item, "value", item))

    for child in stream or []:
        walk(child.value)
    return sources


@contextlib.contextmanager
def page_links_prefetched(stream) -> Iterator[None]:
    """While active, page links in `stream`'s rich text are expanded from one bulk query."""
    ids = linked_page_ids(rich_text_sources(stream))
    token = _PREFETCHED.set(_load_pages(ids) if ids else {})
    try:
        yield
    finally:
        _PREFETCHED.reset(token)
