app_name = "property_mgmt"

urlpatterns: list = []
