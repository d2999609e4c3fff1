"""Support in a real browser: a LASA raises a request with an attachment, WSP answers, the LASA replies,
WSP resolves. axe-core on every page visited; an internal note never shows to the LASA."""

import io

import pytest
from playwright.sync_api import expect

from sector.support.models import SupportRequest


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def _sign_out(page):
    page.context.clear_cookies()


@pytest.mark.django_db(transaction=True)
def test_lasa_raises_wsp_answers_lasa_replies_wsp_resolves(page, sign_in, axe_check):
    # The LASA finds "raise a request" from the contacts page.
    sign_in(page, "lasa")
    page.goto("/orgs/contacts/")
    axe_check(page, "support-contacts-lasa")
    page.get_by_role("link", name="Raise a support request").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Raise a support request"
    axe_check(page, "support-form")

    page.get_by_label("Category").select_option(label="Barcode scanner")
    page.get_by_label("High").check()
    page.get_by_label("Subject").fill("Scanner in car 12 reads nothing")
    page.get_by_label("Description").fill("Beeps, but no license fields are filled. Since Monday.")
    # A disguised file is refused with a clear message and the typed text is kept.
    page.set_input_files(
        "#id_attachments", files=[{"name": "photo.png", "mimeType": "image/png", "buffer": b"MZ\x90\x00" * 20}]
    )
    page.get_by_role("button", name="Send to WSP support").click()
    assert "does not contain what its name says" in page.content()
    assert page.get_by_label("Subject").input_value() == "Scanner in car 12 reads nothing"
    axe_check(page, "support-form-refused-file")
    page.console_errors.clear()  # the refusal is answered with 400 Bad Request, which Chromium logs
    page.set_input_files("#id_attachments", files=[{"name": "scanner.png", "mimeType": "image/png", "buffer": _png()}])
    page.get_by_role("button", name="Send to WSP support").click()
    sr = SupportRequest.objects.get(subject="Scanner in car 12 reads nothing")
    assert page.url.endswith(sr.get_absolute_url())
    expect(page.get_by_role("link", name="scanner.png")).to_be_visible()
    axe_check(page, "support-detail-lasa-new")
    page.goto("/support/")
    assert sr.reference in page.content()
    axe_check(page, "support-list-lasa")

    # WSP finds it in the queue, assigns it, notes internally, answers and waits on the requester.
    _sign_out(page)
    sign_in(page, "wsp")
    page.goto("/support/")
    page.get_by_label("Status").select_option("new")
    page.wait_for_load_state("networkidle")
    axe_check(page, "support-queue-wsp")
    page.get_by_role("button", name=f"Assign to me {sr.reference}").click()
    assert f"{sr.reference} is assigned to you." in page.content()
    page.get_by_role("link", name=sr.reference).click()
    axe_check(page, "support-detail-wsp")
    page.get_by_label("Assignee").select_option(label="Marcus Reyes (wsp)")
    page.get_by_role("button", name="Save triage").click()
    assert "Triage saved." in page.content()
    page.get_by_role("textbox", name="Internal note").fill("Known firmware issue with model 1950g")
    page.get_by_role("button", name="Add note").click()
    page.get_by_label("Your reply").fill("Please send the scanner's firmware version (sticker underneath).")
    page.get_by_label("Then set the status to").select_option("waiting")
    page.get_by_role("button", name="Send reply").click()
    assert "Reply sent to the requester." in page.content()
    axe_check(page, "support-detail-wsp-answered")
    page.goto("/support/dashboard/")
    expect(page.locator("#requests-per-week")).to_be_visible()
    axe_check(page, "support-dashboard")

    # The LASA sees the answer (not the note) and replies: the request reopens.
    _sign_out(page)
    sign_in(page, "lasa")
    page.goto(sr.get_absolute_url())
    assert "firmware version" in page.content()
    assert "Known firmware issue" not in page.content()
    assert "Waiting on requester" in page.content()
    expect(page.get_by_text("Clock paused while waiting on requester since")).to_be_visible()
    page.get_by_label("Your reply").fill("Firmware 3.2.1 on the sticker.")
    page.get_by_role("button", name="Send reply").click()
    assert "Your reply was sent." in page.content()
    axe_check(page, "support-detail-lasa-replied")
    sr.refresh_from_db()
    assert sr.status == "in_progress"

    # WSP resolves it.
    _sign_out(page)
    sign_in(page, "wsp")
    page.goto(sr.get_absolute_url())
    page.get_by_role("button", name="Mark resolved").click()
    assert "Status is now “Resolved”." in page.content()
    axe_check(page, "support-detail-wsp-resolved")
    sr.refresh_from_db()
    assert sr.status == "resolved" and sr.first_response_at is not None and sr.resolved_at is not None
    assert not page.console_errors, page.console_errors

    # Another agency's LASA: the request does not exist for them.
    _sign_out(page)
    sign_in(page, "lasa2")
    response = page.goto(sr.get_absolute_url())
    assert response.status == 404
    axe_check(page, "support-detail-other-agency-404")
