"""The mailings app's pages (paths are absolute: the app is included at the site root)."""

from django.urls import path

from . import send_confirmation, views

app_name = "mailings"
urlpatterns = [
    path("broker/newsletters/", views.NewsletterListView.as_view(), name="list"),
    path("broker/newsletters/<int:pk>/", views.NewsletterEditView.as_view(), name="edit"),
    path(
        "broker/newsletters/<int:pk>/preview/",
        views.NewsletterPreviewView.as_view(),
        name="preview",
    ),
    path(
        "broker/newsletters/<int:pk>/web/",
        views.NewsletterWebPreviewView.as_view(),
        name="web-preview",
    ),
    path(
        "broker/newsletters/<int:pk>/send/",
        send_confirmation.NewsletterSendView.as_view(),
        name="send",
    ),
    path("broker/newsletters/<int:pk>/mailing/", views.MailingView.as_view(), name="mailing"),
    path(
        "broker/newsletters/<int:pk>/mailing/counts/",
        views.MailingCountsView.as_view(),
        name="mailing-counts",
    ),
    path("broker/newsletters/subscribers/", views.SubscriberListView.as_view(), name="subscribers"),
    path(
        "broker/newsletters/subscribers/<int:pk>/unsubscribe/",
        views.SubscriberUnsubscribeView.as_view(),
        name="subscriber-unsubscribe",
    ),
    path("broker/newsletters/settings/", views.MailingSettingsView.as_view(), name="settings"),
    path("newsletter/", views.SubscribeView.as_view(), name="subscribe"),
    path("newsletter/subscribed/", views.SubscribedView.as_view(), name="subscribed"),
    path("newsletter/<int:number>/", views.IssueView.as_view(), name="issue"),
    path("newsletter/confirm/<int:pk>/<str:token>/", views.ConfirmView.as_view(), name="confirm"),
    path(
        "newsletter/unsubscribe/<int:pk>/<str:token>/",
        views.UnsubscribeView.as_view(),
        name="unsubscribe",
    ),
]
