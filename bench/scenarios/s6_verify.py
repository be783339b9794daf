"""Scenario 6: the public verify page against bare views: the textbook view (get the certificate by its code, render
the same template), and, as an information row, a view that looks the code up and returns the page's HTML stored
beforehand (which no real view could do, since the page differs by certificate)."""

from __future__ import annotations

from django.test import Client

from bench import baselines, data
from bench.results_table import Result
from bench.scenarios import get_ok, queries_of
from bench.stats import interleaved
from certificates.models import Certificate
from certificates.services import certificate_issue
from courses.models import CourseCompletion

TITLE = "6 verify endpoint"


def run(quick: bool) -> tuple[list[Result], list[str]]:
    definition, completions = data.certificate_setup(learners=1)
    completion = CourseCompletion.objects.select_related("user").get(pk=completions[0])
    certificate, _created = certificate_issue(
        definition=definition, learner=completion.user, source={"completion_id": completion.pk}
    )
    code = Certificate.objects.get(pk=certificate.pk).verification_code
    client = Client()
    ours = get_ok(client, f"/verify/{code}/")
    html = ours().content.decode()  # type: ignore[attr-defined]
    if certificate.number not in html:
        raise AssertionError("the verify page does not show the certificate number")
    baselines.STORED_HTML["verify"] = html
    bare = get_ok(client, f"/bench/bare-verify/{code}/")
    rendering = get_ok(client, f"/bench/rendering-verify/{code}/")
    if certificate.number not in rendering().content.decode():  # type: ignore[attr-defined]
        raise AssertionError("the rendering baseline does not show the certificate number")
    queries = queries_of(ours)
    bare_queries = queries_of(bare)
    rendering_queries = queries_of(rendering)
    timings = interleaved(
        {"ours": ours, "rendering": rendering, "bare": bare}, repeat=100 if quick else 1000, warmup=10
    )
    return [
        Result(
            TITLE,
            "vs textbook view, median",
            timings["ours"].median,
            timings["rendering"].median,
            "s",
            "<= 1.5x",
            "get_object_or_404 + render of the same template",
        ),
        Result(TITLE, "vs textbook view, p95", timings["ours"].p95, timings["rendering"].p95, "s", "info"),
        Result(TITLE, "queries", queries, rendering_queries, "", "info", note="anonymous visitor, no cache"),
        Result(
            TITLE,
            "vs stored HTML, median",
            timings["ours"].median,
            timings["bare"].median,
            "s",
            "info",
            "one exists() query, then the page's HTML stored beforehand",
        ),
    ], [
        f"scenario 6: the verify page runs {queries} queries (the textbook view {rendering_queries}, the stored-HTML "
        f"view {bare_queries}); the target is judged against the textbook view, which does what any view must do for "
        "this page (look the code up, render it); the stored-HTML view skips the rendering, which only a cache could "
        "do, and a cache is ruled out here (a revocation must show on the next request); rate limit raised for the run"
    ]
