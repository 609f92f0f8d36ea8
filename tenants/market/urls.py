"""Pages of the market app (paths are absolute: the app is included at the site root)."""

from django.urls import path

from .views import ads, manage, media, mine

app_name = "market"

urlpatterns = [
    path("ads/", ads.AdListView.as_view(), name="list"),
    path("ads/<int:pk>/", ads.AdDetailView.as_view(), name="detail"),
    path("ads/new/", ads.PlaceAdView.as_view(), name="new"),
    path("ads/placed/", ads.PlacedView.as_view(), name="placed"),
    path("ads/confirm/", ads.ConfirmView.as_view(), name="confirm"),
    path("ads/confirm/<str:token>/", ads.ConfirmLinkView.as_view(), name="confirm-link"),
    path("ads/<int:pk>/confirmed/", ads.ConfirmedView.as_view(), name="confirmed"),
    path("ads/mine/", mine.MyAdsView.as_view(), name="mine"),
    path("ads/mine/<int:pk>/edit/", mine.EditAdView.as_view(), name="edit"),
    path("ads/mine/<int:pk>/renew/", mine.RenewAdView.as_view(), name="renew"),
    path("ads/mine/<int:pk>/close/", mine.CloseAdView.as_view(), name="close"),
    path("ads/sign-in/", mine.SignInView.as_view(), name="sign-in"),
    path("ads/sign-in/confirm/", mine.SignInConfirmView.as_view(), name="sign-in-confirm"),
    path("ads/sign-in/<str:token>/", mine.SignInLinkView.as_view(), name="sign-in-link"),
    path("ads/sign-out/", mine.SignOutView.as_view(), name="sign-out"),
    path("people/<int:pk>/", mine.PersonView.as_view(), name="person"),
    path("people/me/edit/", mine.ProfileView.as_view(), name="profile"),
    path("manage/categories/", manage.CategoriesView.as_view(), name="categories"),
    path("manage/categories/<int:pk>/", manage.CategoryView.as_view(), name="category"),
    path("manage/sub-areas/", manage.SubAreasView.as_view(), name="sub-areas"),
    path("manage/sub-areas/<int:pk>/", manage.SubAreaView.as_view(), name="sub-area"),
    path("media/<str:schema>/<path:path>", media.serve_media, name="media"),
]
