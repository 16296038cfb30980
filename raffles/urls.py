app_name = "raffles"

urlpatterns = []
