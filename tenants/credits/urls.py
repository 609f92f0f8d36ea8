"""The credits app's pages (absolute paths; every one a 404 while credits are off)."""

from django.urls import path

from . import offer_pages, voucher_pages

app_name = "credits"
urlpatterns = [
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
