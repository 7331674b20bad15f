from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("accounts/notifications/", views.preferences, name="preferences"),
    # no login: the signed token is the key (a digest's recipient may have no login)
    path("mail/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
