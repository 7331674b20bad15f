from django.urls import path

from . import views

app_name = "feeds"

urlpatterns = [
    # no login: the secret address is the key (calendar apps cannot log in)
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar"),
    path("me/calendar/replace/", views.replace_my_feed, name="replace_my_feed"),
    path("teams/<slug:slug>/calendar/", views.team_feed, name="team_feed"),
    path("teams/<slug:slug>/calendar/replace/", views.replace_team_feed, name="replace_team_feed"),
]
