from django.urls import path

from . import views

app_name = "orgs"

urlpatterns = [
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/<str:ori>/", views.agency_detail, name="agency_detail"),
    path("courts/", views.court_list, name="court_list"),
    path("courts/<str:code>/", views.court_detail, name="court_detail"),
    path("contacts/", views.contacts, name="contacts"),
]
