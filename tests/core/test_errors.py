"""One base class for domain errors: every app's refusal is a DomainError, so a view may catch the base."""

import pytest

from collisions.services import ReviewError
from courts.services import TicketActionError
from sector.accounts.services import RoleError
from sector.core.errors import DomainError
from sector.core.models import AppendOnlyError
from sector.core.spreadsheets import ImportFileError
from sector.feed.outbox import SendError
from sector.feed.services import FeedError
from sector.onboarding.errors import OnboardingError
from sector.onboarding.notices.services import AckLinkError
from sector.support.services import SupportError
from sector.training.services import TrainingError

ERRORS = [
    ReviewError, TicketActionError, RoleError, AppendOnlyError, SendError, FeedError,
    OnboardingError, AckLinkError, ImportFileError, SupportError, TrainingError,
]  # fmt: skip


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: e.__qualname__)
def test_every_app_error_is_a_domain_error(error):
    assert issubclass(error, DomainError)


def test_the_file_errors_are_still_value_errors():
    """Callers that catch ValueError around file reading keep working."""
    for error in (ImportFileError, RoleError):
        assert issubclass(error, ValueError)


def test_a_domain_error_carries_its_message_and_reasons():
    exc = OnboardingError("The agency cannot go live yet.", reasons=["Step 3 is not done."])
    assert str(exc) == "The agency cannot go live yet."
    assert exc.reasons == ["Step 3 is not done."]
    assert DomainError("no reasons").reasons == []


def test_subclasses_with_their_own_arguments_still_have_reasons():
    assert FeedError(400, "bad envelope").reasons == []
    assert FeedError(400, "bad envelope").status == 400
    assert SendError("no URL", status=None).reasons == []
