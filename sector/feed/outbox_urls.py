from django.urls import path

from . import outbox_views as views

app_name = "outbox"

urlpatterns = [
    path("", views.destination_status, name="destination_status"),
    path("destinations/<slug:code>/", views.destination_edit, name="destination_edit"),
    path("deliveries/", views.delivery_list, name="delivery_list"),
    path("deliveries/retry/", views.delivery_retry, name="delivery_retry"),
    path("deliveries/<int:pk>/", views.delivery_detail, name="delivery_detail"),
]
