app_name = "courts"

urlpatterns: list = []
