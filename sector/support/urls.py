from django.urls import path

from . import views

app_name = "support"

urlpatterns = [
    path("", views.request_list, name="request_list"),
    path("new/", views.request_create, name="request_create"),
    path("export/", views.request_export, name="request_export"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("<int:pk>/", views.request_detail, name="request_detail"),
    path("<int:pk>/reply/", views.request_reply, name="request_reply"),
    path("<int:pk>/note/", views.request_note, name="request_note"),
    path("<int:pk>/triage/", views.request_triage, name="request_triage"),
    path("<int:pk>/status/", views.request_status, name="request_status"),
    path("<int:pk>/assign-to-me/", views.request_assign_me, name="request_assign_me"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
]
