import pytest

from sector.onboarding.reference import ensure_agreement_templates, ensure_reference_data


@pytest.fixture(autouse=True)
def _reference(db):
    ensure_reference_data()
    ensure_agreement_templates()
