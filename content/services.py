"""Writes for content pages. Every function is atomic; each docstring says if it is idempotent."""

from __future__ import annotations

from django.db import transaction
from wagtail.models import Page, Site

from .models import HomePage


@transaction.atomic
def home_page_ensure(*, title: str, intro: str = "", intro_en: str = "") -> HomePage:
    """Make a published HomePage the default site's root, replacing Wagtail's welcome page. Idempotent."""
    home = HomePage.objects.first()
    root = Page.get_first_root_node()
    if home is None:
        home = HomePage(title=title, slug="home", intro=intro, intro_en=intro_en)
        welcome = Page.objects.filter(depth=2, slug="home").exclude(content_type__model="homepage").first()
        if welcome is not None:
            welcome.slug = "wagtail-welcome"
            welcome.save(update_fields=["slug"])
        root.add_child(instance=home)
        home.save_revision().publish()
    else:
        changed = (home.title, home.intro, home.intro_en) != (title, intro, intro_en)
        if changed:
            home.title, home.intro, home.intro_en = title, intro, intro_en
            home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=title)
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save(update_fields=["root_page"])
    # Wagtail's welcome page goes only once no site points at it (a site's root page cascades on delete).
    Page.objects.filter(depth=2, slug="wagtail-welcome", content_type__model="page").delete()
    return home
