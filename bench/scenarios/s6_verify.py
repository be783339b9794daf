"""Scenario 6: the public verify page against a bare view that looks the code up and returns the same HTML."""

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
    queries = queries_of(ours)
    bare_queries = queries_of(bare)
    timings = interleaved({"ours": ours, "bare": bare}, repeat=100 if quick else 1000, warmup=10)
    return [
        Result(TITLE, "median", timings["ours"].median, timings["bare"].median, "s", "<= 1.5x"),
        Result(TITLE, "p95", timings["ours"].p95, timings["bare"].p95, "s", "info"),
        Result(TITLE, "queries", queries, bare_queries, "", "info", note="anonymous visitor, no cache"),
    ], [
        f"scenario 6: the verify page runs {queries} queries (the bare view {bare_queries}); "
        "rate limit raised for the run"
    ]
