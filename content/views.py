"""Learner-facing views outside the page tree: the course catalogue and search. Both are public."""

from django.shortcuts import render

from accounts.constants import SkillArea
from content.models import Audience
from content.selectors import CatalogueFilters, catalogue_entries, catalogue_training_bases, content_search


def catalogue(request):
    filters = CatalogueFilters.from_params(request.GET)
    context = {
        "filters": filters,
        "entries": catalogue_entries(filters=filters),
        "bases": catalogue_training_bases(),
        "audiences": Audience.choices,
        "skill_areas": SkillArea.choices,
    }
    return render(request, "content/catalogue.html", context)


def search(request):
    query = (request.GET.get("q") or "").strip()[:100]
    results = content_search(query=query) if query else []
    return render(request, "content/search.html", {"query": query, "results": results})
