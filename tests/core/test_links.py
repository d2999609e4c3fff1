"""Absolute links in emails come from one setting, PORTAL_URL."""

from django.urls import reverse

from sector.core.links import absolute_url


class Page:
    def get_absolute_url(self):
        return "/support/requests/7/"


def test_a_path_joins_the_portal_url_with_one_slash(settings):
    settings.PORTAL_URL = "https://sector.example.wa.gov/"
    assert absolute_url("/collisions/review/") == "https://sector.example.wa.gov/collisions/review/"
    settings.PORTAL_URL = "https://sector.example.wa.gov"
    assert absolute_url(reverse("collisions:review_queue")) == "https://sector.example.wa.gov/collisions/review/"


def test_a_record_links_to_its_own_page(settings):
    settings.PORTAL_URL = "https://portal.example/sector"
    assert absolute_url(Page()) == "https://portal.example/sector/support/requests/7/"


def test_there_is_one_setting_for_links(settings):
    assert not hasattr(settings, "PORTAL_BASE_URL")
