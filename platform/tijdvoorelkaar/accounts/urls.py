from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("two-factor/enrol/", views.TwoFactorEnrolView.as_view(), name="two-factor-enrol"),
    path("two-factor/verify/", views.TwoFactorVerifyView.as_view(), name="two-factor-verify"),
    path(
        "two-factor/recovery-codes/",
        views.RecoveryCodesView.as_view(),
        name="two-factor-recovery-codes",
    ),
    path("security/", views.SecurityView.as_view(), name="security"),
    path(
        "invitation/<str:uidb64>/<str:token>/",
        views.AcceptInvitationView.as_view(),
        name="accept-invitation",
    ),
]
