"""Pages of the brokerage app (paths are absolute: the app is included at the site root)."""

from django.urls import path

from .views import ads, board, conversations, dashboard, moderation, routing

app_name = "brokerage"
urlpatterns = [
    path("broker/", dashboard.DashboardView.as_view(), name="dashboard"),
    path(
        "broker/responses/<int:pk>/seen/",
        dashboard.ResponseSeenView.as_view(),
        name="response-seen",
    ),
    path(
        "broker/held-messages/<int:pk>/",
        dashboard.HeldMessageView.as_view(),
        name="held-message",
    ),
    path("broker/board/", board.BoardView.as_view(), name="board"),
    path("broker/participants/<int:pk>/move/", board.MoveView.as_view(), name="move"),
    path(
        "broker/participants/<int:pk>/conversations/",
        conversations.ConversationListView.as_view(),
        name="conversations",
    ),
    path(
        "broker/participants/<int:pk>/conversations/new/",
        conversations.ConversationNewView.as_view(),
        name="conversation-new",
    ),
    path("broker/moderation/", moderation.ModerationView.as_view(), name="moderation"),
    path(
        "broker/moderation/ads/<int:pk>/approve/",
        moderation.ApproveAdView.as_view(),
        name="approve",
    ),
    path(
        "broker/moderation/ads/<int:pk>/reject/", moderation.RejectAdView.as_view(), name="reject"
    ),
    path(
        "broker/moderation/reports/<int:pk>/", moderation.HandleReportView.as_view(), name="report"
    ),
    path("broker/participants/<int:pk>/ads/new/", ads.BrokerAdNewView.as_view(), name="ad-new"),
    path("broker/ads/<int:pk>/edit/", ads.BrokerAdEditView.as_view(), name="ad-edit"),
    path("broker/ads/<int:pk>/renew/", ads.BrokerAdRenewView.as_view(), name="ad-renew"),
    path("broker/ads/<int:pk>/close/", ads.BrokerAdCloseView.as_view(), name="ad-close"),
    path("manage/routing/", routing.RoutingAdminView.as_view(), name="routing"),
    path("manage/routing/<int:pk>/", routing.RoutingStepView.as_view(), name="routing-step"),
]
