from django.urls import path

from content import views

app_name = "content"

urlpatterns = [
    path("catalogue/", views.catalogue, name="catalogue"),
    path("search/", views.search, name="search"),
]
