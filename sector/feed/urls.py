"""Mounted at the site root: the API under /api/feed/v1/ (contract paths, no trailing slash) and
WSP support's screens under /feed/."""

from django.urls import path

from . import api, custody_views, outage_views, views

app_name = "feed"

urlpatterns = [
    path("api/feed/v1/batches", api.batches, name="api_batches"),
    path("api/feed/v1/batches/<str:batch_id>", api.batch_detail, name="api_batch_detail"),
    path("feed/", views.batch_list, name="batch_list"),
    path("feed/batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("feed/exceptions/", views.exception_list, name="exception_list"),
    path("feed/overdue/", custody_views.overdue_list, name="overdue_hops"),
    path("feed/exceptions/reprocess/", views.exception_reprocess_bulk, name="exception_reprocess_bulk"),
    path("feed/exceptions/<int:pk>/", views.exception_detail, name="exception_detail"),
    path("feed/exceptions/<int:pk>/reprocess/", views.exception_reprocess, name="exception_reprocess"),
    path("feed/exceptions/<int:pk>/dismiss/", views.exception_dismiss, name="exception_dismiss"),
    path("feed/burndown/", outage_views.burndown_page, name="burndown"),
    path("feed/burndown/live/", outage_views.burndown_live, name="burndown_live"),
    path("feed/credentials/", views.credential_list, name="credential_list"),
    path("feed/credentials/<int:pk>/", views.credential_detail, name="credential_detail"),
    path("feed/credentials/<int:pk>/revoke/", views.credential_revoke, name="credential_revoke"),
]
