from django.urls import path

from . import views

app_name = "registry"

urlpatterns = [
    path("", views.home, name="home"),
    path("mo-hinh/", views.InitiativeListView.as_view(), name="initiative-list"),
    path("mo-hinh/<slug:slug>/", views.InitiativeDetailView.as_view(), name="initiative-detail"),
]
