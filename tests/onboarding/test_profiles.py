"""Requirement profile versions in the portal (issue 11, item 13): WSP drafts a version from the current one,
edits it, previews the surveys in progress against it, and publishes it with confirmation. A doubtful figure
is shown as such and never applied."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from sector.core.models import AuditEntry
from sector.onboarding.choices import LineResult
from sector.onboarding.errors import OnboardingError
from sector.onboarding.models import RequirementProfile
from sector.onboarding.profiles import services as profiles
from sector.onboarding.survey import services as svc
from sector.onboarding.survey.evaluation import evaluate_line
from tests.onboarding.helpers import GOOD_LINE, fill_survey, start

pytestmark = pytest.mark.django_db

WINDOWS_11 = {**GOOD_LINE, "model": "Getac B360", "os": "Windows 11 Pro", "cpu_ghz": "2.4", "ram_gb": "16"}


def _values(profile, **changes):
    values = {name: getattr(profile, name) for name in profiles.EDITABLE}
    return {**values, **changes}


def test_version_1s_60_ghz_is_marked_doubtful_and_never_applied():
    v1 = RequirementProfile.objects.get(version=1)
    assert v1.doubtful == ["cpu_preferred_ghz"] and v1.cpu_preferred_ghz == Decimal("60")
    assert v1.published_at is not None and RequirementProfile.objects.in_force() == v1
    verdict = evaluate_line(v1.snapshot(), os="Windows 7 Professional", cpu_ghz=2.5, ram_gb=4, disk_free_gb=100)
    assert verdict.result == LineResult.MEETS_PREFERRED
    assert not any("60" in r for r in verdict.reasons)
    assert any("doubtful" in w for w in v1.warnings())


def test_a_doubtful_minimum_is_not_applied_either():
    snap = {**RequirementProfile.objects.get(version=1).snapshot(), "doubtful": ["cpu_preferred_ghz", "ram_min_gb"]}
    verdict = evaluate_line(snap, os="Windows Vista", cpu_ghz=2, ram_gb=1.5, disk_free_gb=50)
    assert verdict.result == LineResult.MEETS_MINIMUM  # 1.5 GB: no minimum applied, below the 2 GB preferred
    assert evaluate_line(snap, os="Windows Vista", cpu_ghz=2, ram_gb=0.25, disk_free_gb=50).result != "fails"


def test_wsp_drafts_edits_and_publishes_a_version_and_each_change_is_audited(world):
    wsp = world.users["wsp"]
    draft = profiles.profile_draft_create(actor=wsp)
    assert (draft.version, draft.is_draft, draft.doubtful) == (2, True, ["cpu_preferred_ghz"])
    assert RequirementProfile.objects.in_force().version == 1  # a draft is not in force
    with pytest.raises(OnboardingError, match="already being prepared"):
        profiles.profile_draft_create(actor=wsp)
    values = _values(draft, compatible_os="Windows 10 Pro\nWindows 11 Pro", cpu_preferred_ghz=Decimal("2.0"))
    profiles.profile_draft_update(profile=draft, actor=wsp, values=values, doubtful=[])
    edited = AuditEntry.objects.get(action="onboarding.profile.edited")
    assert edited.changes["cpu_preferred_ghz"] == ["60.00", "2.0"] and edited.changes["doubtful"] == [
        ["cpu_preferred_ghz"],
        [],
    ]
    profiles.profile_publish(profile=draft, actor=wsp)
    draft.refresh_from_db()
    assert draft.published_by == wsp and RequirementProfile.objects.in_force() == draft
    assert AuditEntry.objects.filter(action="onboarding.profile.published", object_id=str(draft.pk)).exists()
    with pytest.raises(OnboardingError, match="published and cannot change"):
        profiles.profile_draft_update(profile=draft, actor=wsp, values=values, doubtful=[])


def test_only_wsp_publishes_and_a_past_effective_date_is_refused(world):
    with pytest.raises(OnboardingError, match="Only WSP"):
        profiles.profile_draft_create(actor=world.users["waspc"])
    draft = profiles.profile_draft_create(actor=world.users["wsp"])
    RequirementProfile.objects.filter(pk=draft.pk).update(effective_from=timezone.localdate() - timedelta(days=1))
    with pytest.raises(OnboardingError, match="in the past"):
        profiles.profile_publish(profile=draft, actor=world.users["wsp"])
    assert AuditEntry.objects.filter(action="onboarding.profile.publish_refused").exists()


def test_the_preview_counts_each_agencys_computers_against_the_draft_and_the_version_in_force(world):
    fill_survey(world, start(world), lines=[GOOD_LINE, WINDOWS_11])  # Olympia: a draft survey
    draft = profiles.profile_draft_create(actor=world.users["wsp"])
    profiles.profile_draft_update(
        profile=draft, actor=world.users["wsp"], doubtful=[],
        values=_values(draft, compatible_os="Windows 10 Pro\nWindows 11 Pro", ram_min_gb=Decimal("8"),
                       cpu_preferred_ghz=Decimal("2.0")),
    )  # fmt: skip
    client = world.client_for("wsp")
    page = client.get(reverse("onboarding:profile", kwargs={"version": 2}))
    rows = page.context["preview"]
    assert [r.survey.onboarding.agency.ori for r in rows] == [world.agency_a.ori]
    # v1: the Windows 7 laptops pass, the Windows 11 one needs review; v2: the reverse, the Windows 7 RAM fails.
    assert (rows[0].now["meets_preferred"], rows[0].now["needs_review"]) == (3, 3)
    assert (rows[0].then["fails"], rows[0].then["meets_preferred"]) == (3, 3)
    assert "Olympia Police Department" in page.content.decode()
    assert not RequirementProfile.objects.get(version=2).evaluations.exists()  # previewing stores nothing


def test_publishing_through_the_page_asks_for_confirmation_first(world):
    client = world.client_for("wsp")
    response = client.post(reverse("onboarding:profile_new"))
    assert response["Location"] == "/onboarding/profiles/2/"
    url = reverse("onboarding:profile_publish", kwargs={"version": 2})
    first = client.post(url)
    assert first.status_code == 200 and "It replaces version 1" in first.content.decode()
    assert RequirementProfile.objects.get(version=2).is_draft
    done = client.post(url, {"confirmed": "1"})
    assert done["Location"] == reverse("onboarding:profiles")
    assert not RequirementProfile.objects.get(version=2).is_draft
    listing = client.get(reverse("onboarding:profiles")).content.decode()
    assert "In force" in listing and "Version 1" in listing


def test_the_draft_page_saves_edits_and_says_what_to_correct(world):
    client = world.client_for("wsp")
    client.post(reverse("onboarding:profile_new"))
    draft = RequirementProfile.objects.get(version=2)
    data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in _values(draft).items()}
    data = {k: (v.replace("\n", "\r\n") if isinstance(v, str) else v) for k, v in data.items()}
    bad = client.post(reverse("onboarding:profile_edit", kwargs={"version": 2}), {**data, "ram_min_gb": "lots"})
    assert bad.status_code == 400 and "Enter a number" in bad.content.decode()
    ok = client.post(
        reverse("onboarding:profile_edit", kwargs={"version": 2}),
        {**data, "cpu_preferred_ghz": "2.2", "doubtful": ["disk_min_gb"]},
    )
    assert ok["Location"].endswith("/onboarding/profiles/2/#preview")
    draft.refresh_from_db()
    assert draft.cpu_preferred_ghz == Decimal("2.2") and draft.doubtful == ["disk_min_gb"]
    edited = AuditEntry.objects.filter(action="onboarding.profile.edited").latest("id")
    assert set(edited.changes) == {"cpu_preferred_ghz", "doubtful"}  # CRLF from a browser is not a change
    page = client.get(reverse("onboarding:profile", kwargs={"version": 1})).content.decode()
    assert "Doubtful: not applied" in page  # version 1's 60 GHz


def test_the_evaluation_shows_the_doubtful_mark(world):
    survey = fill_survey(world, start(world))
    svc.survey_submit(survey=survey, actor=world.users["lasa"])
    page = world.client_for("wsp").get(reverse("onboarding:evaluation", args=[world.agency_a.ori])).content.decode()
    assert "60 GHz preferred" in page and "Doubtful: not applied" in page
