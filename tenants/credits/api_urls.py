"""The credits app's API under /api/v1/credits/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import AccountViewSet, OverviewView, RewardJobViewSet, TransferViewSet
from .offer_api import OfferViewSet, RedemptionViewSet
from .voucher_api import VoucherBatchViewSet, VoucherRedeemView

router = SimpleRouter()
router.register("credits/accounts", AccountViewSet, basename="credit-account")
router.register("credits/transfers", TransferViewSet, basename="credit-transfer")
router.register("credits/reward-jobs", RewardJobViewSet, basename="credit-reward-job")
router.register("credits/offers", OfferViewSet, basename="credit-offer")
router.register("credits/redemptions", RedemptionViewSet, basename="credit-redemption")
router.register("credits/voucher-batches", VoucherBatchViewSet, basename="credit-voucher-batch")
urlpatterns = [
    path("credits/overview/", OverviewView.as_view(), name="credit-overview"),
    path("credits/vouchers/redeem/", VoucherRedeemView.as_view(), name="credit-voucher-redeem"),
    *router.urls,
]
