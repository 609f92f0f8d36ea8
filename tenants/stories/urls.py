"""The stories app's pages (paths are absolute: the app is included at the site root)."""

from django.urls import path

from . import views

app_name = "stories"
urlpatterns = [
    path("stories/", views.public_list, name="public-list"),
    path("stories/<int:pk>/", views.public_detail, name="public-detail"),
    path("broker/stories/", views.StoryListView.as_view(), name="list"),
    path("broker/stories/new/", views.StoryCreateView.as_view(), name="create"),
    path("broker/stories/<int:pk>/", views.StoryDetailView.as_view(), name="detail"),
    path("broker/stories/<int:pk>/edit/", views.StoryEditView.as_view(), name="edit"),
    path("broker/stories/<int:pk>/consent/", views.StoryConsentView.as_view(), name="consent"),
    path("broker/stories/<int:pk>/publish/", views.StoryPublishView.as_view(), name="publish"),
]
