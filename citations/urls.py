from django.urls import path

from . import views

app_name = "citations"

urlpatterns = [
    path("", views.ticket_list, name="ticket_list"),
    path("<int:pk>/", views.ticket_detail, name="ticket_detail"),
    path("numbers/", views.number_blocks, name="number_blocks"),
]
