from django.urls import path

from . import views

app_name = "onboarding"

urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.start, name="start"),
    path("agencies/<str:ori>/", views.agency, name="agency"),
    path("agencies/<str:ori>/steps/<int:number>/complete/", views.step_complete, name="step_complete"),
    path("agencies/<str:ori>/steps/<int:number>/evidence/", views.step_evidence, name="step_evidence"),
    path("agencies/<str:ori>/go-live/", views.go_live, name="go_live"),
]
