"""Scenario 3: the certificate-issuing task end to end against bare WeasyPrint on the same HTML; a 1,000-certificate
run in one worker process: throughput and memory growth after the first 100."""

from __future__ import annotations

import gc
import time

from weasyprint import HTML

from bench import data
from bench.results_table import Result
from bench.scenarios import rss_mb
from certificates.models import Certificate
from certificates.rendering import ASSET_ORIGIN, RestrictedURLFetcher, certificate_html
from certificates.tasks import issue_for_completion

TITLE = "3 certificates"
BASELINE_EVERY = 10  # bare WeasyPrint runs beside every tenth certificate, interleaved with the task


def run(quick: bool) -> tuple[list[Result], list[str]]:
    count = 20 if quick else 1000
    _definition, completions = data.certificate_setup(learners=count)
    task_times: list[float] = []
    bare_times: list[float] = []
    rss_after_100 = None
    rss_start = rss_mb()
    # A warm process: the first certificate loads fonts and templates for both sides.
    first = issue_for_completion.run(completions[0])
    html = certificate_html(certificate=Certificate.objects.get(pk=first[0]))
    HTML(string=html, base_url=f"{ASSET_ORIGIN}/", url_fetcher=RestrictedURLFetcher(media=True)).write_pdf()
    gc.collect()
    started = time.perf_counter()
    for index, completion_id in enumerate(completions[1:], start=1):
        start = time.perf_counter()
        issued = issue_for_completion.run(completion_id)
        task_times.append(time.perf_counter() - start)
        if index % (2 if quick else BASELINE_EVERY) == 0:
            certificate = Certificate.objects.get(pk=issued[0])
            html = certificate_html(certificate=certificate)
            start = time.perf_counter()
            pdf = HTML(
                string=html, base_url=f"{ASSET_ORIGIN}/", url_fetcher=RestrictedURLFetcher(media=True)
            ).write_pdf()
            bare_times.append(time.perf_counter() - start)
            if not pdf.startswith(b"%PDF"):
                raise AssertionError("WeasyPrint wrote no PDF")
        if index == 100:
            rss_after_100 = rss_mb()
    elapsed = time.perf_counter() - started
    rss_end = rss_mb()
    issued_count = Certificate.objects.filter(learner__course_completions__pk__in=completions).count()
    with_pdf = Certificate.objects.filter(learner__course_completions__pk__in=completions).exclude(pdf="").count()
    if issued_count != count or with_pdf != count:
        raise AssertionError(f"{issued_count} certificates, {with_pdf} with a PDF, for {count} completions")
    task_median = sorted(task_times)[len(task_times) // 2]
    bare_median = sorted(bare_times)[len(bare_times) // 2]
    growth = None if rss_after_100 is None else rss_end - rss_after_100
    results = [
        Result(TITLE, "issue task vs bare write_pdf, median", task_median, bare_median, "s", "<= 1.3x"),
        Result(
            TITLE,
            "throughput",
            (len(completions) - 1) / elapsed,
            None,
            "certificates/s",
            "info",
            f"{count - 1} certificates in one process, {len(bare_times)} bare renders interleaved",
        ),
    ]
    if growth is not None:
        results.append(Result(TITLE, "RSS growth after the first 100", growth, None, "MB", "<= 50 MB"))
    else:
        results.append(
            Result(TITLE, "RSS growth after the first 100", None, None, "MB", "info", "fewer than 100 certificates")
        )
    return results, [
        f"scenario 3: {count} certificates issued by certificates.tasks.issue_for_completion in this process "
        f"(eager, as one worker); RSS {rss_start:.0f} MB before, {rss_after_100 or 0:.0f} MB after 100, "
        f"{rss_end:.0f} MB at the end; the bare baseline is WeasyPrint HTML(...).write_pdf() of the same "
        "certificate HTML with the same asset fetcher"
    ]
