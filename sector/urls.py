from django.contrib import admin
from django.urls import include, path

from sector.accounts.mfa.admin_site import PortalOTPAdminSite
from sector.core import ops_views
from sector.core import views as core_views

# /admin/ requires the second factor (django-otp's admin site; issue 13).
admin.site.__class__ = PortalOTPAdminSite

admin.site.site_header = "SECTOR Program Portal administration"
admin.site.site_title = "SECTOR admin"
admin.site.index_title = "Users, roles and reference data"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("accounts/", include("sector.accounts.urls")),
    path("orgs/", include("sector.orgs.urls")),
    path("onboarding/", include("sector.onboarding.urls")),
    path("training/", include("sector.training.urls")),
    path("support/", include("sector.support.urls")),
    path("program/", include("sector.program.urls")),
    path("", include("sector.feed.urls")),
    path("tickets/", include("citations.urls")),
    path("courts/", include("courts.urls")),
    path("collisions/", include("collisions.urls")),
    path("feed/outbox/", include("sector.feed.outbox_urls")),
    path("records/", include("sector.core.retention_urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", ops_views.readyz, name="readyz"),
    path("metrics", ops_views.metrics, name="metrics"),
    path("admin/", admin.site.urls),
]

handler403 = "sector.core.views.permission_denied"
handler404 = "sector.core.views.page_not_found"
handler500 = "sector.core.views.server_error"
