app_name = "citations"

urlpatterns: list = []
