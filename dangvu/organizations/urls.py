from django.urls import path

from . import views

app_name = "organizations"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/con/", views.children, name="children"),
    path("<int:pk>/them/", views.create, name="create"),
    path("<int:pk>/sua/", views.update, name="update"),
    path("<int:pk>/chuyen/", views.move, name="move"),
    path("<int:pk>/giai-the/", views.dissolve, name="dissolve"),
]
