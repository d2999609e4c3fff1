from tests.matrix import AGENCY_A, ALL_SIGNED_IN, STATEWIDE, Case, Prefix, allow, officer_answers_for_two_org
from tests.onboarding.helpers import start


def _agency_a(w):
    start(w)
    return {"ori": w.agency_a.ori}


def _checklist(w):
    return f"/onboarding/agencies/{w.agency_a.ori}/"


EXPECTATIONS = {
    # Statewide roles see the pipeline; agency users are sent to their own checklist; others have no onboarding.
    "onboarding:index": Case(
        expect={
            **allow("admin", *STATEWIDE),
            "lasa": "/onboarding/agencies/WA0340100/",
            "reviewer": "/onboarding/agencies/WA0340100/",
            "officer": "/onboarding/agencies/WA0340100/",
            "lasa2": "/onboarding/agencies/WA0320400/",
            "clerk": "/onboarding/courts/",
            "clerk2": "/onboarding/courts/",
        },
    ),
    "onboarding:agency": Case(
        kwargs=_agency_a,
        expect={**allow("admin", *STATEWIDE, *AGENCY_A), "lasa2": 404, "clerk": 404, "clerk2": 404},
        default=404,
    ),
    "onboarding:start": Case(
        method="post",
        data=lambda w: {"agency": w.agency_b.ori},
        expect={"admin": "/onboarding/agencies/WA0320400/", "waspc": "/onboarding/agencies/WA0320400/"},
    ),
    # Completing a step: out of scope 404; in scope, the service decides (the wrong role is told why).
    "onboarding:step_complete": Case(
        method="post",
        kwargs=lambda w: {**_agency_a(w), "number": 1},
        data={"note": "Overview given"},
        expect={
            **{p: "/onboarding/agencies/WA0340100/#step-1" for p in ("admin", *STATEWIDE, *AGENCY_A)},
            "lasa2": 404,
            "clerk": 404,
            "clerk2": 404,
        },
        default=404,
    ),
    "onboarding:step_evidence": Case(
        kwargs=lambda w: {**_agency_a(w), "number": 1},
        expect={"lasa2": 404, "clerk": 404, "clerk2": 404},
        default=404,  # no evidence attached: 404 for everyone in scope too
    ),
    "onboarding:go_live": Case(
        method="post",
        kwargs=_agency_a,
        expect={
            "admin": "/onboarding/agencies/WA0340100/",
            "wsp": "/onboarding/agencies/WA0340100/",
            "waspc": 403,
            "aoc": 403,
            **allow(*AGENCY_A, code=403),
            "lasa2": 404,
            "clerk": 404,
            "clerk2": 404,
        },
        default=404,
    ),
}


def _submitted(w):
    from sector.onboarding.survey import services as svc
    from tests.onboarding.helpers import fill_survey

    onboarding = start(w)
    survey = fill_survey(w, onboarding)
    svc.survey_submit(survey=survey, actor=w.users["lasa"])
    return {"ori": w.agency_a.ori}


def _line(w):
    from tests.onboarding.helpers import fill_survey

    survey = fill_survey(w, start(w))
    return {"ori": w.agency_a.ori, "line_id": survey.lines.get().pk}


_SURVEY = "/onboarding/agencies/WA0340100/survey/"
_OUT_OF_SCOPE = {"lasa2": 404, "clerk": 404, "clerk2": 404}
_SURVEY_READERS = ("admin", *STATEWIDE, *AGENCY_A)
_NOT_EDITORS = {p: 403 for p in (*STATEWIDE, "reviewer", "officer")}

EXPECTATIONS.update(
    {
        "onboarding:survey": Case(kwargs=_agency_a, expect={**allow(*_SURVEY_READERS), **_OUT_OF_SCOPE}, default=404),
        # Writes: in scope, the service decides and the page says why (redirect back with a message).
        "onboarding:survey_line_add": Case(
            method="post",
            kwargs=_agency_a,
            data={
                "model": "Getac B360",
                "os": "Windows 10 Pro",
                "cpu_ghz": "2.4",
                "ram_gb": "16",
                "disk_free_gb": "200",
                "quantity": "1",
            },  # fmt: skip
            expect={**{p: _SURVEY + "#inventory" for p in ("admin", "lasa")}, **_NOT_EDITORS, **_OUT_OF_SCOPE},
            default=404,
        ),
        "onboarding:survey_line_remove": Case(
            method="post",
            kwargs=_line,
            expect={**{p: _SURVEY + "#inventory" for p in ("admin", "lasa")}, **_NOT_EDITORS, **_OUT_OF_SCOPE},
            default=404,
        ),
        "onboarding:survey_import": Case(
            method="post",
            kwargs=_agency_a,
            data={},  # no file: the form says to choose one
            expect={**allow("admin", "lasa", code=400), **_NOT_EDITORS, **_OUT_OF_SCOPE},
            default=404,
        ),
        "onboarding:survey_import_confirm": Case(
            method="post",
            kwargs=_agency_a,
            data={"token": "never-issued"},
            expect={**{p: _SURVEY + "#import" for p in ("admin", "lasa")}, **_NOT_EDITORS, **_OUT_OF_SCOPE},
            default=404,
        ),
        "onboarding:survey_submit": Case(
            method="post",
            data={"confirmed": "1"},  # past the confirmation step (tests of the step are in the app's tests)
            kwargs=_agency_a,
            expect={**{p: _SURVEY + "#submit" for p in ("admin", "lasa")}, **_NOT_EDITORS, **_OUT_OF_SCOPE},
            default=404,
        ),
        "onboarding:evaluation": Case(
            kwargs=_submitted, expect={**allow(*_SURVEY_READERS), **_OUT_OF_SCOPE}, default=404
        ),
        "onboarding:evaluation_pdf": Case(
            kwargs=_submitted, expect={**allow(*_SURVEY_READERS), **_OUT_OF_SCOPE}, default=404
        ),
    }
)


def _notice(w):
    _submitted(w)
    from sector.onboarding.models import CourtNotice

    return {"pk": CourtNotice.objects.get(court=w.court_a).pk}


def _ack(w):
    from sector.onboarding.models import ProsecutorNotice
    from sector.onboarding.notices.services import ack_token

    _submitted(w)
    return {"token": ack_token(ProsecutorNotice.objects.get())}


def _expired_notice(w):
    from datetime import timedelta

    from django.utils import timezone

    from sector.onboarding.models import ProsecutorNotice

    _submitted(w)
    notice = ProsecutorNotice.objects.get()
    ProsecutorNotice.objects.filter(pk=notice.pk).update(created_at=timezone.now() - timedelta(days=40))
    return {"pk": notice.pk}


_NOTICE_PAGE = Prefix("/onboarding/notices/")

# Court notices: the court's clerk and every agency-A reader see a notice to court A; clerk2 and lasa2 do not.
_NOTICE_READERS = ("admin", *STATEWIDE, *AGENCY_A, "clerk")
EXPECTATIONS.update(
    {
        "onboarding:court_notices": Case(expect=allow("admin", *STATEWIDE, *AGENCY_A, "lasa2", "clerk", "clerk2")),
        "onboarding:notice": Case(
            kwargs=_notice, expect={**allow(*_NOTICE_READERS), "clerk2": 404, "lasa2": 404}, default=404
        ),
        "onboarding:notice_letter": Case(
            kwargs=_notice, expect={**allow(*_NOTICE_READERS), "clerk2": 404, "lasa2": 404}, default=404
        ),
        "onboarding:notice_decide": Case(
            method="post",
            kwargs=_notice,
            data={
                "decision": "not_yet",
                "reason": "Training first",
                "decider_name": "Ann Lee",
                "decider_title": "Court Administrator",
            },
            expect={
                "admin": _NOTICE_PAGE,
                "aoc": _NOTICE_PAGE,
                "clerk": _NOTICE_PAGE,
                **{p: 403 for p in ("waspc", "wsp", *AGENCY_A)},
                "clerk2": 404,
                "lasa2": 404,
            },
            default=404,
        ),
        # The prosecutor's link needs no account: everyone, signed in or not, gets the page.
        "onboarding:acknowledge": Case(kwargs=_ack, expect=allow("anonymous", *ALL_SIGNED_IN), default=200),
        # A new prosecutor link (issue 16): the agency's LASA (and administrators) after confirming; agency A's
        # other readers 403; other organizations 404.
        "onboarding:prosecutor_link_renew": Case(
            kwargs=_expired_notice,
            method="post",
            data={},
            expect={**allow("admin", "lasa"), **allow("waspc", "wsp", "aoc", "reviewer", "officer", code=403)},
            default=404,
        ),
    }
)


def _agreement(w):
    from tests.onboarding.helpers import prepare_agreement

    return {"pk": prepare_agreement(w, start(w)).pk}


def _signed_agreement(w):
    from tests.onboarding.helpers import prepare_agreement, sign_agreement

    return {"pk": sign_agreement(w, prepare_agreement(w, start(w))).pk}


_AGREEMENT_PAGE = Prefix("/onboarding/agreements/")


def _sla_template_id():
    from sector.onboarding.models import AgreementTemplate

    return AgreementTemplate.objects.get(kind="sla", version=1).pk


_AGENCY_READERS = ("admin", *STATEWIDE, *AGENCY_A)

EXPECTATIONS.update(
    {
        "onboarding:agreements": Case(
            kwargs=_agency_a, expect={**allow(*_AGENCY_READERS), **_OUT_OF_SCOPE}, default=404
        ),
        "onboarding:agreement_prepare": Case(
            method="post",
            kwargs=_agency_a,
            data=lambda w: {"template": _sla_template_id()},
            expect={
                "admin": _AGREEMENT_PAGE,  # a superuser passes the policy
                "wsp": _AGREEMENT_PAGE,
                "waspc": 403,
                "aoc": 403,
                **allow(*AGENCY_A, code=403),
                **_OUT_OF_SCOPE,
            },
            default=404,
        ),
        "onboarding:agreement": Case(
            kwargs=_agreement, expect={**allow(*_AGENCY_READERS), **_OUT_OF_SCOPE}, default=404
        ),
        "onboarding:agreement_pdf": Case(
            kwargs=_agreement, expect={**allow(*_AGENCY_READERS), **_OUT_OF_SCOPE}, default=404
        ),
        # Nothing uploaded: 404 for every reader as well.
        "onboarding:agreement_signed_copy": Case(kwargs=_agreement, default=404),
        "onboarding:agreement_sign": Case(
            method="post",
            kwargs=_agreement,
            data={"signatory_name": "Ana Ruiz", "signatory_title": "Chief", "authority": "Charter", "confirm": "on"},
            expect={
                "admin": _AGREEMENT_PAGE,
                "lasa": _AGREEMENT_PAGE,
                **{p: 403 for p in (*STATEWIDE, "reviewer", "officer")},
                **_OUT_OF_SCOPE,
            },
            default=404,
        ),
        "onboarding:agreement_upload": Case(
            method="post",
            kwargs=_agreement,
            data={},  # no file: the form explains
            expect={
                "admin": 400,
                "lasa": 400,
                **{p: 403 for p in (*STATEWIDE, "reviewer", "officer")},
                **_OUT_OF_SCOPE,
            },
            default=404,
        ),
        "onboarding:agreement_countersign": Case(
            method="post",
            data={"confirmed": "1"},  # past the confirmation step (tests of the step are in the app's tests)
            kwargs=_signed_agreement,
            expect={
                "admin": _AGREEMENT_PAGE,
                "wsp": _AGREEMENT_PAGE,
                "waspc": 403,
                "aoc": 403,
                **allow(*AGENCY_A, code=403),
                **_OUT_OF_SCOPE,
            },
            default=404,
        ),
    }
)


def _proposal(w):
    from sector.onboarding.lasa.services import lasa_propose

    onboarding = start(w)
    return {"pk": lasa_propose(onboarding=onboarding, actor=w.users["lasa"], primary_user=w.users["reviewer"]).pk}


def _managed_officer(w):
    return {"ori": w.agency_a.ori, "user_id": w.users["officer"].pk}


_CHECKLIST_A = "/onboarding/agencies/WA0340100/"
_LASA_A = "/onboarding/agencies/WA0340100/lasa/"
_USERS_A = "/onboarding/agencies/WA0340100/users/"
_NOT_MANAGERS = {p: 403 for p in (*STATEWIDE, "reviewer", "officer")}

EXPECTATIONS.update(
    {
        "onboarding:contact_invite": Case(
            method="post",
            kwargs=_agency_a,
            data=lambda w: {
                "overview_on": "2026-11-02",
                "first_name": "Ana",
                "last_name": "Ruiz",
                "email": "ana.ruiz@example.test",
            },  # fmt: skip
            expect={
                "admin": _CHECKLIST_A + "#step-1",
                "waspc": _CHECKLIST_A + "#step-1",
                "wsp": 403,
                "aoc": 403,
                **allow(*AGENCY_A, code=403),
                **_OUT_OF_SCOPE,
            },  # fmt: skip
            default=404,
        ),
        "onboarding:lasa": Case(kwargs=_agency_a, expect={**allow(*_AGENCY_READERS), **_OUT_OF_SCOPE}, default=404),
        "onboarding:lasa_propose": Case(
            method="post",
            kwargs=_agency_a,
            data=lambda w: {"primary_user": w.users["reviewer"].pk},
            expect={"admin": _LASA_A, "lasa": _LASA_A, **_NOT_MANAGERS, **_OUT_OF_SCOPE},
            default=404,
        ),
        "onboarding:lasa_decide": Case(
            method="post",
            kwargs=_proposal,
            data={"decision": "decline", "note": "Not yet"},
            expect={
                "admin": _LASA_A,
                "wsp": _LASA_A,
                "waspc": 403,
                "aoc": 403,
                **allow(*AGENCY_A, code=403),
                **_OUT_OF_SCOPE,
            },  # fmt: skip
            default=404,
        ),
        "onboarding:users": Case(
            kwargs=_agency_a, expect={"admin": 200, "lasa": 200, **_NOT_MANAGERS, **_OUT_OF_SCOPE}, default=404
        ),
        "onboarding:user_invite": Case(
            method="post",
            kwargs=_agency_a,
            data={
                "first_name": "Kim",
                "last_name": "Lee",
                "email": "kim.lee@example.test",
                "role": "officer",
                "personnel_number": "OPD-2001",
            },
            expect={"admin": _USERS_A, "lasa": _USERS_A, **_NOT_MANAGERS, **_OUT_OF_SCOPE},
            default=404,
        ),
        "onboarding:user_role": Case(
            method="post",
            kwargs=_managed_officer,
            data={"role": "collision_reviewer"},
            expect={"admin": _USERS_A, "lasa": _USERS_A, **_NOT_MANAGERS, **_OUT_OF_SCOPE},
            default=404,
        ),
        "onboarding:user_deactivate": Case(
            method="post",
            data={"confirmed": "1"},  # past the confirmation step (tests of the step are in the app's tests)
            kwargs=_managed_officer,
            expect={"admin": _USERS_A, "lasa": _USERS_A, **_NOT_MANAGERS, **_OUT_OF_SCOPE},
            default=404,
        ),
        "onboarding:user_activate": Case(
            method="post",
            kwargs=_managed_officer,
            expect={"admin": _USERS_A, "lasa": _USERS_A, **_NOT_MANAGERS, **_OUT_OF_SCOPE},
            default=404,
        ),
    }
)

# The pipeline spreadsheet: the roles that may export agencies (WASPC, WSP).
EXPECTATIONS["onboarding:export"] = Case(expect=allow("admin", "waspc", "wsp"))


def _profile_draft(w):
    from sector.onboarding.models import RequirementProfile
    from sector.onboarding.profiles import services as profiles
    from sector.onboarding.reference import ensure_reference_data

    ensure_reference_data()
    draft = RequirementProfile.objects.draft() or profiles.profile_draft_create(actor=w.users["wsp"])
    return {"version": draft.version}


# Requirement profiles are WSP's: everyone else signed in gets 403.
EXPECTATIONS.update(
    {
        "onboarding:profiles": Case(expect=allow("admin", "wsp")),
        "onboarding:profile_new": Case(
            method="post", expect={"admin": "/onboarding/profiles/2/", "wsp": "/onboarding/profiles/2/"}
        ),
        "onboarding:profile": Case(kwargs={"version": 1}, expect=allow("admin", "wsp")),
        "onboarding:profile_edit": Case(
            method="post",
            kwargs=_profile_draft,
            data={"name": ""},  # incomplete: the page says what to correct
            expect=allow("admin", "wsp", code=400),
        ),
        # Publishing asks for confirmation first: the confirmation page, nothing changed.
        "onboarding:profile_publish": Case(method="post", kwargs=_profile_draft, expect=allow("admin", "wsp")),
    }
)


# The two-organization user (LASA of B, officer of A) meets agency A's records as an officer.
officer_answers_for_two_org(EXPECTATIONS)
