"""Production refuses a per-process cache (each worker would count rate limits alone) unless told it runs one."""

from __future__ import annotations

import pytest

from tests.lms.test_settings import PRODUCTION_ENV, run_manage

WITHOUT_CACHE = {key: value for key, value in PRODUCTION_ENV.items() if key != "CACHE_URL"}


def test_production_refuses_to_start_without_a_shared_cache():
    result = run_manage("check", env=WITHOUT_CACHE)
    assert result.returncode != 0 and "CACHE_URL" in result.stderr


def test_a_single_worker_may_say_it_runs_a_local_memory_cache():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env={**WITHOUT_CACHE, "ALLOW_LOCAL_MEMORY_CACHE": "1"}
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("workers", ["2", "4"])
def test_never_with_several_workers(workers):
    env = {**WITHOUT_CACHE, "ALLOW_LOCAL_MEMORY_CACHE": "1", "WEB_CONCURRENCY": workers}
    result = run_manage("check", env=env)
    assert result.returncode != 0 and "CACHE_URL" in result.stderr


def test_a_bad_trusted_proxy_refuses_to_start():
    result = run_manage("check", env={**PRODUCTION_ENV, "TRUSTED_PROXIES": "10.0.0.0/8,proxy.internal"})
    assert result.returncode != 0 and "TRUSTED_PROXIES" in result.stderr
