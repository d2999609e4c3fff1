from django.urls import path

from . import views

app_name = "collisions"

urlpatterns = [
    path("review/", views.review_queue_view, name="review_queue"),
    path("review/claim-next/", views.claim_next_view, name="claim_next"),
    path("dashboard/", views.dashboard_view, name="dashboard"),
    path("review-settings/", views.review_settings, name="review_settings"),
    path("review-settings/<str:ori>/", views.review_setting_edit, name="review_setting_edit"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
    path("<int:pk>/diagram/<int:version>/", views.report_diagram, name="report_diagram"),
    path("<int:pk>/access/", views.access_log, name="access_log"),
    path("<int:pk>/releases/", views.releases, name="releases"),
    path("<int:pk>/releases/<int:release_pk>/pdf/", views.release_pdf, name="release_pdf"),
    path("<int:pk>/<str:action>/", views.report_action, name="report_action"),
]
