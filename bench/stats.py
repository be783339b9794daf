"""Timing helpers: medians and 95th percentiles of repeated runs (absolute times are noisy; ratios count)."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Timing:
    samples: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure(function: Callable[[], object], *, repeat: int, warmup: int = 3) -> Timing:
    for _ in range(warmup):
        function()
    gc.collect()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return Timing(tuple(samples))


def interleaved(functions: dict[str, Callable[[], object]], *, repeat: int, warmup: int = 3) -> dict[str, Timing]:
    """Time several functions in alternation, so that machine noise falls on all of them alike."""
    for function in functions.values():
        for _ in range(warmup):
            function()
    gc.collect()
    samples: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(repeat):
        for name, function in functions.items():
            start = time.perf_counter()
            function()
            samples[name].append(time.perf_counter() - start)
    return {name: Timing(tuple(values)) for name, values in samples.items()}
