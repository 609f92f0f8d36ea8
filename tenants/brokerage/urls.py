"""Pages of the brokerage app (paths are absolute: the app is included at the site root)."""

from django.urls import path

from . import views

app_name = "brokerage"
urlpatterns = [
    path("broker/", views.DashboardView.as_view(), name="dashboard"),
    path("broker/responses/<int:pk>/seen/", views.ResponseSeenView.as_view(), name="response-seen"),
    path("broker/held-messages/<int:pk>/", views.HeldMessageView.as_view(), name="held-message"),
    path("broker/board/", views.BoardView.as_view(), name="board"),
    path("broker/participants/<int:pk>/move/", views.MoveView.as_view(), name="move"),
    path(
        "broker/participants/<int:pk>/conversations/",
        views.ConversationListView.as_view(),
        name="conversations",
    ),
    path(
        "broker/participants/<int:pk>/conversations/new/",
        views.ConversationNewView.as_view(),
        name="conversation-new",
    ),
    path("broker/moderation/", views.ModerationView.as_view(), name="moderation"),
    path("broker/moderation/ads/<int:pk>/approve/", views.ApproveAdView.as_view(), name="approve"),
    path("broker/moderation/ads/<int:pk>/reject/", views.RejectAdView.as_view(), name="reject"),
    path("broker/moderation/reports/<int:pk>/", views.HandleReportView.as_view(), name="report"),
    path("broker/participants/<int:pk>/ads/new/", views.BrokerAdNewView.as_view(), name="ad-new"),
    path("broker/ads/<int:pk>/edit/", views.BrokerAdEditView.as_view(), name="ad-edit"),
    path("broker/ads/<int:pk>/renew/", views.BrokerAdRenewView.as_view(), name="ad-renew"),
    path("broker/ads/<int:pk>/close/", views.BrokerAdCloseView.as_view(), name="ad-close"),
    path("manage/routing/", views.RoutingAdminView.as_view(), name="routing"),
    path("manage/routing/<int:pk>/", views.RoutingStepView.as_view(), name="routing-step"),
]
