app_name = "supports"

urlpatterns: list = []
