"""Chinese-aware search helpers: CJK runs are indexed and queried as overlapping character bigrams."""

from __future__ import annotations

import re

CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def cjk_bigrams(text: str) -> list[str]:
    """Every overlapping pair of characters in each CJK run; a single-character run yields itself."""
    grams: list[str] = []
    for run in CJK_RUN.findall(text or ""):
        if len(run) == 1:
            grams.append(run)
        else:
            grams.extend(run[index : index + 2] for index in range(len(run) - 1))
    return grams


def bigram_document(*texts: str) -> str:
    return " ".join(gram for text in texts for gram in cjk_bigrams(text))
