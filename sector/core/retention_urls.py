from django.urls import path

from . import retention_views as views

app_name = "retention"

urlpatterns = [
    path("", views.period_list, name="period_list"),
    path("periods/<str:key>/", views.period_edit, name="period_edit"),
    path("holds/", views.hold_list, name="hold_list"),
    path("holds/<int:pk>/release/", views.hold_release_view, name="hold_release"),
    path("disposition/<str:key>/", views.disposition, name="disposition"),
]
