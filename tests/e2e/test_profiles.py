"""Requirement profiles in a real browser (issue 11, item 13): WSP opens the profile page from the pipeline,
starts a new version from the current one, edits a figure, previews the surveys in progress against it, and
publishes it after confirming. axe-core on every page visited."""

import pytest

from sector.core.models import AuditEntry
from sector.onboarding.models import RequirementProfile


@pytest.mark.django_db(transaction=True)
def test_wsp_previews_and_publishes_a_new_profile_version(page, sign_in, axe_check):
    # The demo: the 2010 sheet is version 1 (its 60 GHz marked doubtful), the example version 2 is in force.
    assert RequirementProfile.objects.get(version=1).doubtful == ["cpu_preferred_ghz"]
    assert RequirementProfile.objects.in_force().example
    sign_in(page, "wsp")
    page.goto("/onboarding/")
    page.get_by_role("link", name="Requirement profiles").click()
    assert page.url.endswith("/onboarding/profiles/")
    assert "Example for WSP to replace" in page.content() and "In force" in page.content()
    axe_check(page, "profiles-wsp")
    page.get_by_role("link", name="Version 1", exact=True).click()
    assert "Doubtful: not applied" in page.content()
    axe_check(page, "profile-v1")

    page.goto("/onboarding/profiles/")
    page.get_by_role("button", name="Start a new version from the current one").click()
    assert page.url.endswith("/onboarding/profiles/3/")
    axe_check(page, "profile-draft")
    page.get_by_label("Name of the version").fill("Officer computer, 2027")
    page.get_by_label("RAM minimum (GB)").fill("8")
    page.get_by_role("button", name="Save and preview").click()
    assert "Version 3 saved" in page.content()
    preview = page.locator("#preview")
    assert "Tumwater Police Department" in preview.inner_text()
    axe_check(page, "profile-draft-preview")

    page.get_by_role("button", name="Publish version 3").click()
    assert "It replaces version 2" in page.content()
    assert RequirementProfile.objects.get(version=3).is_draft  # nothing changed before confirming
    axe_check(page, "profile-publish-confirm")
    page.get_by_role("button", name="Publish version 3").click()
    assert page.url.endswith("/onboarding/profiles/")
    assert "Version 3 published" in page.content()
    axe_check(page, "profiles-after-publish")
    assert RequirementProfile.objects.in_force().version == 3
    assert AuditEntry.objects.filter(action="onboarding.profile.published", data__version=3).exists()
    assert not page.console_errors, page.console_errors
