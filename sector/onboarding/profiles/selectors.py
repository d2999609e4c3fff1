"""The preview: how the surveys in progress evaluate against a draft version, next to the version in force."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..choices import LineResult, Stage
from ..models import RequirementProfile, Survey
from ..survey.evaluation import evaluate_line, worst


@dataclass
class PreviewRow:
    """One agency's survey: computers per result against the version in force and against the draft."""

    survey: Survey
    now: dict[str, int] = field(default_factory=dict)
    then: dict[str, int] = field(default_factory=dict)
    now_overall: str = ""
    then_overall: str = ""

    @property
    def changed(self) -> bool:
        return self.now != self.then


def _count(snapshot: dict, lines: Iterable[Any]) -> tuple[dict[str, int], str]:
    counts = {r.value: 0 for r in LineResult}
    results = []
    for line in lines:
        verdict = evaluate_line(
            snapshot, os=line.os, cpu_ghz=line.cpu_ghz, ram_gb=line.ram_gb, disk_free_gb=line.disk_free_gb
        )
        counts[verdict.result] += line.quantity
        results.append(verdict.result)
    return counts, worst(results)


def profile_preview(*, draft: RequirementProfile) -> list[PreviewRow]:
    """Every survey of an agency not yet live that has an inventory, in agency order. Reads only: two queries."""
    current = RequirementProfile.objects.in_force()
    surveys = (
        Survey.objects.exclude(onboarding__stage=Stage.LIVE)
        .filter(lines__isnull=False)
        .distinct()
        .select_related("onboarding__agency")
        .prefetch_related("lines")
        .order_by("onboarding__agency_name", "id")
    )
    now_snapshot = current.snapshot() if current else None
    then_snapshot = draft.snapshot()
    rows = []
    for survey in surveys:
        lines = list(survey.lines.all())
        row = PreviewRow(survey=survey)
        row.then, row.then_overall = _count(then_snapshot, lines)
        if now_snapshot is not None:
            row.now, row.now_overall = _count(now_snapshot, lines)
        rows.append(row)
    return rows
