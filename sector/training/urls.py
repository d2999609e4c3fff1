from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.events, name="events"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<int:pk>/", views.event, name="event"),
    path("events/<int:pk>/register/", views.register, name="register"),
    path("events/<int:pk>/registrations/<int:registration_id>/remove/", views.unregister, name="unregister"),
    path("events/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("events/<int:pk>/complete/", views.complete, name="complete"),
    path("records/<int:pk>/certificate.pdf", views.certificate, name="certificate"),
    path("people/<int:pk>/", views.person, name="person"),
    path("events/<int:pk>/roster/", views.roster_export, name="roster_export"),
    path("events/<int:pk>/roster/import/", views.roster_import, name="roster_import"),
    path("events/<int:pk>/roster/import/confirm/", views.roster_import_confirm, name="roster_import_confirm"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/<str:ori>/", views.coverage_agency, name="coverage_agency"),
    path("coverage/<str:ori>/target/", views.officer_target, name="officer_target"),
    path("events/<int:pk>/register/new/", views.register_new, name="register_new"),
]
