"""Every view in both URLconfs states who may reach it, or is listed below as public.

The walk reads the URLconfs, so a view added without access control fails here: pages must
inherit NeighbourhoodRoleRequired or OperatorRequired, endpoints must have HasNeighbourhoodRole
or IsOperator in their permission classes. Anything else must be added to PUBLIC_VIEWS, with
the reason it is public.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.views import APIView

from tijdvoorelkaar.accounts.access import (
    HasNeighbourhoodRole,
    IsOperator,
    NeighbourhoodRoleRequired,
    OperatorRequired,
    StaffAPIView,
    StaffRequired,
    StaffViewSet,
    TwoFactorAccountRequired,
)
from tijdvoorelkaar.accounts.models import STAFF_ROLES

URLCONFS = ("tijdvoorelkaar.urls_neighbourhood", "tijdvoorelkaar.urls_platform")
# TwoFactorAccountRequired: the code step and one's own Security page (staff and operators).
PAGE_GUARDS = (NeighbourhoodRoleRequired, OperatorRequired, TwoFactorAccountRequired)
API_GUARDS = (HasNeighbourhoodRole, IsOperator)
# Staff-only pages and endpoints use the shared classes, not a copy per app.
STAFF_GUARDS = (StaffRequired, StaffAPIView, StaffViewSet)

# Dotted path of the view class (or function) -> why anyone may reach it.
PUBLIC_VIEWS = {
    "tenants.home.views.home": "the home page: what this is and how to reach the broker",
    "tijdvoorelkaar.accounts.views.LoginView": "logging in cannot require being logged in",
    "tijdvoorelkaar.accounts.views.LogoutView": "logging out only ends the caller's own session",
    "tijdvoorelkaar.accounts.views.AcceptInvitationView": "guarded by the signed invitation link",
    "django.views.i18n.set_language": "choosing a language only sets the caller's own cookie",
    "tijdvoorelkaar.accounts.views.TokenView": "exchanges a password for a token: it is the login",
    "drf_spectacular.views.SpectacularAPIView": "the OpenAPI schema describes the API, no data",
    "drf_spectacular.views.SpectacularSwaggerSplitView": "the API docs page renders the schema",
    "tijdvoorelkaar.theming.views.ThemeVariablesView": "theme colours, public like static files",
    # The marketplace is open to everyone: no account, no intake (participants are recognised
    # by a mailed one-time link kept in the session, never by a role).
    "tenants.market.views.ads.AdListView": "the public list of published ads",
    "tenants.market.views.ads.AdDetailView": "one published ad (others' unpublished ads 404)",
    "tenants.market.views.ads.PlaceAdView": "placing an ad needs no account (rate-limited)",
    "tenants.market.views.ads.PlacedView": "the static 'check your mail' page",
    "tenants.market.views.ads.ConfirmLinkView": "guarded by the mailed one-time token",
    "tenants.market.views.ads.ConfirmView": "guarded by the mailed one-time token",
    "tenants.market.views.ads.ConfirmedView": "only the owner signed in by the link (404)",
    "tenants.market.views.mine.MyAdsView": "the participant signed in by a link; else sign-in",
    "tenants.market.views.mine.EditAdView": "the participant's own ads only (404 otherwise)",
    "tenants.market.views.mine.RenewAdView": "the participant's own ads only (404 otherwise)",
    "tenants.market.views.mine.CloseAdView": "the participant's own ads only (404 otherwise)",
    "tenants.market.views.mine.SignInView": "asks for a link; same answer for any address",
    "tenants.market.views.mine.SignInLinkView": "guarded by the mailed one-time token",
    "tenants.market.views.mine.SignInConfirmView": "guarded by the mailed one-time token",
    "tenants.market.views.mine.SignOutView": "only ends the caller's own participant session",
    "tenants.market.views.mine.PersonView": "a personal page: public fields only",
    "tenants.market.views.mine.ProfileView": "the signed-in participant's own page only",
    "tenants.market.api.ads.AdViewSet": (
        "published ads for everyone, placing throttled; owner actions check the participant"
    ),
    "tenants.market.api.lists.CategoryViewSet": "the categories are public",
    "tenants.market.api.lists.SubAreaViewSet": "the sub-areas are public",
    "tenants.market.api.lists.PersonViewSet": "personal pages: public fields only",
    "tenants.market.views.media.serve_media": "photos of public ads; only this host's schema",
    "tenants.siteadmin.api.NeighbourhoodSettingsView": (
        "GET of a neighbourhood's public settings; get_permissions keeps changes for admins"
    ),
    # Marketplace: responding and reporting need no account (rate-limited, honeypot);
    # the reply and the outcome pages are guarded by the token from the mail.
    "tenants.responding.views.responses.RespondView": "anyone may respond to a published ad",
    "tenants.responding.views.responses.RespondedView": "the thank-you page; shows the ad only",
    "tenants.responding.views.responses.ReportView": "anyone may report a published ad",
    "tenants.responding.views.responses.ReportedView": "the thank-you page; shows the ad only",
    "tenants.responding.views.responses.ReplyView": "guarded by the signed reply link",
    "tenants.responding.views.outcomes.OutcomeView": "guarded by the mailed one-time link",
    "tenants.mailings.views.SubscribeView": "anyone may subscribe: double opt-in by mail",
    "tenants.mailings.views.SubscribedView": "says a confirmation was sent, names no one",
    "tenants.mailings.views.IssueView": "a sent newsletter's web version is public",
    "tenants.mailings.views.ConfirmView": "guarded by the signed confirmation link",
    "tenants.mailings.views.UnsubscribeView": "guarded by the signed one-click link",
    "tenants.mailings.api.SubscribeView": "anyone may subscribe: double opt-in by mail",
    "tenants.surveys.views.SurveyView": "guarded by the mailed one-time survey link",
    "tenants.surveys.views.ThanksView": "a thank-you page that shows nothing of anyone",
    "tenants.credits.views.mine.MyStatementView": "the signed-in participant only; else sign-in",
    "tenants.credits.views.thanks.ThankView": "guarded by the mailed outcome link (its match only)",
    "tenants.credits.offer_pages.OfferListView": "what shops give is public, as ads are",
    "tenants.credits.offer_pages.OfferRedeemView": "staff or the signed-in participant",
    "tenants.credits.voucher_pages.VoucherRedeemView": "members, staff or a signed-in participant",
    "tenants.credits.views.organisation.MemberRewardView": "a signed-in member of the organisation",
    "tenants.credits.views.organisation.MemberRewardJobView": "a signed-in organisation member",
    "tenants.responding.api.RespondView": "anyone may respond to a published ad",
    "tenants.responding.api.ReportView": "anyone may report a published ad",
    "tenants.responding.api.ReplyView": "guarded by the signed reply link",
    "tenants.responding.api.OutcomeView": "guarded by the mailed one-time link",
    # Success stories are public once everyone named consented; drafts answer 404.
    "tenants.stories.views.public_list": "published success stories only",
    "tenants.stories.views.public_detail": "one published success story (drafts 404)",
    "tenants.stories.api.PublicStoryViewSet": "published success stories only",
    # The digest: one's own choice (signed in by a link), and the mail's one-click stop.
    "tenants.outreach.views.MyDigestView": "the signed-in participant's own choice only",
    "tenants.outreach.views.StopDigestView": "guarded by the signed link; only sets never",
}


def _callbacks(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, Callable]]:
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _callbacks(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield "/" + route, pattern.callback


def _view_of(callback: Callable) -> Any:
    """The view class behind a URL pattern, or the function itself for function views."""
    return getattr(callback, "cls", None) or getattr(callback, "view_class", None) or callback


def _dotted(view: Any) -> str:
    return f"{view.__module__}.{view.__qualname__}"


def _is_protected(callback: Callable) -> bool:
    view = _view_of(callback)
    if not isinstance(view, type):
        return False  # a function view has no guard we can see
    if issubclass(view, APIView):
        if view.get_permissions is not APIView.get_permissions:
            return False  # decides per request: cannot be read from permission_classes
        # Extra actions (@action(permission_classes=...)) and as_view() may override them.
        initkwargs = getattr(callback, "initkwargs", None) or {}
        permission_classes = initkwargs.get("permission_classes", view.permission_classes)
        return any(
            isinstance(permission, type) and issubclass(permission, API_GUARDS)
            for permission in permission_classes
        )
    return issubclass(view, PAGE_GUARDS)


def _views(urlconf: str) -> list[tuple[str, Callable]]:
    return list(_callbacks(get_resolver(urlconf)))


def test_the_walk_finds_pages_and_endpoints_of_both_kinds() -> None:
    found = {_dotted(_view_of(callback)) for urlconf in URLCONFS for _, callback in _views(urlconf)}
    assert {
        "tenants.siteadmin.views.SettingsView",
        "tenants.siteadmin.api.StaffViewSet",
        "tijdvoorelkaar.console.views.DashboardView",
        "tijdvoorelkaar.neighbourhoods.api.NeighbourhoodViewSet",
    } <= found


@pytest.mark.parametrize("urlconf", URLCONFS)
def test_every_view_is_protected_or_listed_as_public(urlconf: str) -> None:
    unprotected = [
        f"{route} -> {_dotted(_view_of(callback))}"
        for route, callback in _views(urlconf)
        if not _is_protected(callback) and _dotted(_view_of(callback)) not in PUBLIC_VIEWS
    ]
    assert unprotected == [], (
        "Views without access control: inherit NeighbourhoodRoleRequired / OperatorRequired, "
        "use HasNeighbourhoodRole / IsOperator, or add them to PUBLIC_VIEWS with a reason."
    )


def test_every_public_view_is_still_routed_and_has_a_reason() -> None:
    # A stale entry would silently allow-list whatever later takes its name.
    routed = {
        _dotted(_view_of(callback)) for urlconf in URLCONFS for _, callback in _views(urlconf)
    }
    assert set(PUBLIC_VIEWS) <= routed, set(PUBLIC_VIEWS) - routed
    assert all(reason.strip() for reason in PUBLIC_VIEWS.values())


def test_the_check_refuses_an_unguarded_view() -> None:
    # The control for the walk: a bare page, a bare endpoint and a per-request override fail.
    from django.views import View

    class BarePage(View):
        pass

    class BareEndpoint(APIView):
        permission_classes: list[type] = []

    class Overriding(APIView):
        permission_classes = [IsOperator]

        def get_permissions(self) -> list[Any]:
            return []

    class Guarded(APIView):
        permission_classes = [IsOperator]

    assert not _is_protected(BarePage.as_view())
    assert not _is_protected(BareEndpoint.as_view())
    assert not _is_protected(Overriding.as_view())
    assert not _is_protected(Guarded.as_view(permission_classes=[]))
    assert _is_protected(Guarded.as_view())


def test_staff_only_views_use_the_shared_staff_classes() -> None:
    # One definition of "staff" (StaffRequired / StaffViewSet / StaffAPIView in
    # accounts.access), so a change to who counts as staff reaches every workspace view.
    copies = sorted(
        {
            _dotted(view)
            for urlconf in URLCONFS
            for _, callback in _views(urlconf)
            if isinstance(view := _view_of(callback), type)
            and getattr(view, "allowed_roles", None) == STAFF_ROLES
            and not issubclass(view, STAFF_GUARDS)
        }
    )
    assert copies == [], "Use StaffRequired / StaffViewSet / StaffAPIView from accounts.access"
