from django.urls import path

from . import views

app_name = "roles"

urlpatterns = [
    path("roles/", views.role_catalog, name="catalog"),
]
