"""Checklist step numbers live in the step data (choices.Step, used by reference.STEPS), not as literals."""

import pathlib
import re

from sector.onboarding.choices import STAGE_FOR_OPEN_STEP, Stage, Step
from sector.onboarding.reference import STEPS

ROOT = pathlib.Path(__file__).resolve().parents[2]
LITERAL = re.compile(r"(step\.number|step__number|number)\s*(==|=|!=|<=|>=|<|>)\s*\d|step_\d|steps\[\d\]")


def test_the_reference_steps_are_the_step_choices_in_order():
    assert [row[0] for row in STEPS] == list(Step)


def test_every_step_before_ongoing_support_decides_a_stage():
    assert set(STAGE_FOR_OPEN_STEP) == set(Step) - {Step.ONGOING_SUPPORT}
    assert STAGE_FOR_OPEN_STEP[Step.SURVEY_AND_NOTICES] == Stage.SURVEYING


def test_a_step_renders_as_its_number_in_messages():
    assert f"Step {Step.ONGOING_SUPPORT}" == "Step 7"


def test_no_literal_step_numbers_in_onboarding_and_training_code_or_templates():
    files = [
        *(ROOT / "sector" / "onboarding").rglob("*.py"),
        *(ROOT / "sector" / "training").rglob("*.py"),
        *(ROOT / "templates" / "onboarding").rglob("*.html"),
        *(ROOT / "templates" / "training").rglob("*.html"),
    ]
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in files
        if "migrations" not in path.parts
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if LITERAL.search(line)
    ]
    assert found == []
