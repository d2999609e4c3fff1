from django.urls import path

from . import counter_views, views

app_name = "courts"

urlpatterns = [
    path("intake/", views.intake, name="intake"),
    path("calendar/", views.calendar, name="calendar"),
    path("counter/", counter_views.counter, name="counter"),
    path("calendar/<int:pk>/delete/", views.closure_delete, name="closure_delete"),
    path("intake/export.<str:fmt>", views.intake_export, name="intake_export"),
    path("intake/accept/", views.bulk_accept, name="bulk_accept"),
    path("intake/compact/", views.intake_compact, name="intake_compact"),
    path("intake/tickets/<int:pk>/case-number/", views.case_number_correct, name="case_number_correct"),
    path("intake/tickets/<int:pk>/", views.ticket_detail, name="ticket_detail"),
    path("intake/tickets/<int:pk>/notice.pdf", views.ticket_pdf, name="ticket_pdf"),
    path("intake/tickets/<int:pk>/<slug:action>/", views.ticket_action, name="ticket_action"),
]
