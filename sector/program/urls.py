from django.urls import path

from . import views

app_name = "program"

urlpatterns = [
    path("tracs/", views.board, name="board"),
    path("tracs/export/", views.board_export, name="board_export"),
    path("tracs/open/", views.migration_open, name="migration_open"),
    path("tracs/<str:ori>/", views.migration, name="migration"),
    path("tracs/<str:ori>/reschedule/", views.migration_reschedule, name="migration_reschedule"),
    path("tracs/<str:ori>/complete/", views.migration_complete, name="migration_complete"),
    path("onboarding-import/", views.bulk_onboarding, name="bulk_onboarding"),
    path("onboarding-import/preview/", views.bulk_onboarding_preview, name="bulk_onboarding_preview"),
    path("onboarding-import/confirm/", views.bulk_onboarding_confirm, name="bulk_onboarding_confirm"),
    path("reminders/", views.reminders, name="reminders"),
    path("reminders/send/", views.reminders_send, name="reminders_send"),
]
