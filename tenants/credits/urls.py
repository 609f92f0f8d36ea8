"""Pages of the credits app (absolute paths: the app is included at the site root). Every
one answers 404 while the neighbourhood's credits are off."""

from django.urls import path

from . import offer_pages, voucher_pages
from .views import mine, organisation, thanks, workspace

app_name = "credits"
urlpatterns = [
    path("credits/mine/", mine.MyStatementView.as_view(), name="mine"),
    path("credits/thank/<str:token>/", thanks.ThankView.as_view(), name="thank"),
    path("broker/credits/", workspace.OverviewView.as_view(), name="overview"),
    path("broker/credits/export/", workspace.ExportView.as_view(), name="export"),
    path(
        "broker/credits/participants/<int:pk>/",
        workspace.ParticipantStatementView.as_view(),
        name="statement",
    ),
    path(
        "broker/credits/transfers/<int:pk>/reverse/",
        workspace.ReverseView.as_view(),
        name="reverse",
    ),
    path("broker/credits/gift/", workspace.GiftView.as_view(), name="gift"),
    path("broker/credits/reward/", workspace.RewardView.as_view(), name="reward"),
    path("broker/credits/reward/<str:job>/", workspace.RewardJobView.as_view(), name="reward-job"),
    path(
        "credits/organisations/<int:pk>/reward/",
        organisation.MemberRewardView.as_view(),
        name="member-reward",
    ),
    path(
        "credits/organisations/<int:pk>/reward/<str:job>/",
        organisation.MemberRewardJobView.as_view(),
        name="member-reward-job",
    ),
    path("manage/credits/", workspace.SettingsView.as_view(), name="settings"),
    path("credits/offers/", offer_pages.OfferListView.as_view(), name="offers"),
    path("credits/offers/new/", offer_pages.OfferCreateView.as_view(), name="offer-create"),
    path(
        "credits/offers/<int:pk>/redeem/",
        offer_pages.OfferRedeemView.as_view(),
        name="offer-redeem",
    ),
    path("credits/offers/received/", offer_pages.ReceivedView.as_view(), name="offers-received"),
    path(
        "credits/vouchers/redeem/",
        voucher_pages.VoucherRedeemView.as_view(),
        name="voucher-redeem",
    ),
    path(
        "broker/credits/vouchers/",
        voucher_pages.VoucherBatchListView.as_view(),
        name="voucher-batches",
    ),
    path(
        "broker/credits/vouchers/<int:pk>/",
        voucher_pages.VoucherBatchView.as_view(),
        name="voucher-batch",
    ),
]
