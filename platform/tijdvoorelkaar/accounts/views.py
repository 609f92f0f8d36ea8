from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.http import urlencode, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle

from . import spraying, twofactor
from .access import TwoFactorAccountRequired, local_next, second_step_done
from .forms import ChoosePasswordForm, CodeForm, EnrolForm, LoginForm
from .models import User
from .services import accept_invitation
from .signed_in import ACCOUNT_BACKEND
from .tokens import invitation_tokens

SESSION_TOKEN = "choose-password"  # noqa: S105 - not a secret: stands in for the token once it is in the session
SESSION_TOKEN_KEY = "_invitation_token"  # noqa: S105 - a session key name


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if spraying.budget_spent(request):
            context = {"reason": spraying.spent_message()}
            return render(request, "accounts/locked_out.html", context, status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: LoginForm) -> HttpResponse:
        if form.has_error(NON_FIELD_ERRORS, "invalid_login"):
            spraying.count_failure(self.request)
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form: LoginForm) -> HttpResponse:
        response = super().form_valid(form)
        if twofactor.needs_two_factor(form.get_user()):
            step = "verify" if twofactor.has_two_factor(form.get_user()) else "enrol"
            return _to_step(step, self.get_success_url())
        return response


def _to_step(step: str, next_url: str) -> HttpResponse:
    return redirect(f"{reverse(f'accounts:two-factor-{step}')}?{urlencode({'next': next_url})}")


def _next_url(request: HttpRequest) -> str:
    """The page to return to after a step: a local path only."""
    return local_next(request, "/")


class TwoFactorEnrolView(TwoFactorAccountRequired, View):
    """Set up an authenticator app: a QR code (and the key as text), then a code to confirm.
    Only while the account has no confirmed authenticator: replacing one takes the code step
    first (Security page) or an admin's reset."""

    def _refuse_if_enrolled(self, request: HttpRequest) -> HttpResponse | None:
        if not twofactor.has_two_factor(request.user):
            return None
        if second_step_done(request):
            return redirect("accounts:security")
        return _to_step("verify", _next_url(request))

    def _render(self, request: HttpRequest, form: EnrolForm, status: int = 200) -> HttpResponse:
        device = twofactor.pending_device(user=request.user)
        context = {
            "form": form,
            "qr_code": twofactor.qr_code_svg(device),
            "secret": twofactor.secret_of(device),
            "next": _next_url(request),
        }
        return render(request, "accounts/two_factor_enrol.html", context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._refuse_if_enrolled(request) or self._render(request, EnrolForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        refused = self._refuse_if_enrolled(request)
        if refused:
            return refused
        form = EnrolForm(request.POST)
        if form.is_valid():
            try:
                device, codes = twofactor.confirm_enrolment(
                    user=request.user, code=form.cleaned_data["code"]
                )
            except ValidationError as error:
                form.add_error("code", error.message_dict["code"])
            else:
                twofactor.mark_session_verified(request, device)
                request.session[twofactor.PENDING_CODES_SESSION_KEY] = codes
                messages.success(request, _("Two-step verification is on."))
                return _to_step("recovery-codes", _next_url(request))
        locked = twofactor.is_locked_out(request.user)
        return self._render(request, form, status=429 if locked else 400)


class TwoFactorVerifyView(TwoFactorAccountRequired, View):
    """The code step after the password: a code from the app or a recovery code."""

    def _render(self, request: HttpRequest, form: CodeForm, status: int = 200) -> HttpResponse:
        return render(
            request,
            "accounts/two_factor_verify.html",
            {"form": form, "next": _next_url(request)},
            status=status,
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        if not twofactor.has_two_factor(request.user):
            return _to_step("enrol", _next_url(request))
        if second_step_done(request):
            return redirect(_next_url(request))
        return self._render(request, CodeForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        if not twofactor.has_two_factor(request.user):
            return _to_step("enrol", _next_url(request))
        form = CodeForm(request.POST)
        if form.is_valid():
            try:
                verified = twofactor.verify_code(user=request.user, code=form.cleaned_data["code"])
            except ValidationError as error:
                form.add_error("code", error.message_dict["code"])
            else:
                twofactor.mark_session_verified(request, verified.device)
                if verified.recovery_code_used:
                    left = twofactor.recovery_codes_left(request.user)
                    messages.warning(
                        request,
                        ngettext(
                            "You used a recovery code; %(count)d is left. "
                            "Make new ones on the Security page.",
                            "You used a recovery code; %(count)d are left. "
                            "Make new ones on the Security page.",
                            left,
                        )
                        % {"count": left},
                    )
                return redirect(_next_url(request))
        locked = twofactor.is_locked_out(request.user)
        return self._render(request, form, status=429 if locked else 400)


class RecoveryCodesView(TwoFactorAccountRequired, View):
    """New recovery codes, shown once, until the user says they saved them."""

    verified_only = True

    def get(self, request: HttpRequest) -> HttpResponse:
        codes = request.session.get(twofactor.PENDING_CODES_SESSION_KEY)
        if not codes:
            return redirect("accounts:security")
        return render(
            request,
            "accounts/two_factor_recovery_codes.html",
            {"codes": codes, "next": _next_url(request)},
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        request.session.pop(twofactor.PENDING_CODES_SESSION_KEY, None)
        return redirect(_next_url(request))


class SecurityView(TwoFactorAccountRequired, View):
    """One's own two-step settings: new recovery codes, or start over with a new phone."""

    verified_only = True

    def get(self, request: HttpRequest) -> HttpResponse:
        context = {
            "device": twofactor.confirmed_device(request.user),
            "codes_left": twofactor.recovery_codes_left(request.user),
        }
        return render(request, "accounts/security.html", context)

    def post(self, request: HttpRequest) -> HttpResponse:
        action = request.POST.get("action")
        if action == "renew-codes":
            codes = twofactor.regenerate_recovery_codes(user=request.user)
            request.session[twofactor.PENDING_CODES_SESSION_KEY] = codes
            return _to_step("recovery-codes", reverse("accounts:security"))
        if action == "reset":
            twofactor.reset_two_factor(user=request.user, reset_by=request.user)
            twofactor.forget_verification(request)
            messages.info(request, _("Set up your authenticator app again."))
            return _to_step("enrol", "/")
        return redirect("accounts:security")


class LogoutView(auth_views.LogoutView):
    pass


class AcceptInvitationView(View):
    """The link in an invitation mail: choose a password, and you are in.

    As Django's password reset does, the token moves from the URL into the session at once,
    so that it never appears in a later request's URL (nor in its log lines).
    """

    def _user(self, uidb64: str, token: str) -> User | None:
        try:
            user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
        except (User.DoesNotExist, ValueError, TypeError, OverflowError):
            return None
        return user if invitation_tokens.check_token(user, token) else None

    def get(self, request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
        if token != SESSION_TOKEN:
            if self._user(uidb64, token) is None:
                return render(request, "accounts/invitation_invalid.html", status=400)
            request.session[SESSION_TOKEN_KEY] = token
            return redirect("accounts:accept-invitation", uidb64=uidb64, token=SESSION_TOKEN)
        user = self._user(uidb64, request.session.get(SESSION_TOKEN_KEY, ""))
        if user is None:
            return render(request, "accounts/invitation_invalid.html", status=400)
        return render(
            request,
            "accounts/accept_invitation.html",
            {"form": ChoosePasswordForm(), "invited": user},
        )

    def post(self, request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
        token = request.session.get(SESSION_TOKEN_KEY, "")
        user = self._user(uidb64, token)
        if user is None:
            return render(request, "accounts/invitation_invalid.html", status=400)
        form = ChoosePasswordForm(request.POST)
        if form.is_valid():
            try:
                accept_invitation(user=user, token=token, password=form.cleaned_data["password"])
            except ValidationError as error:
                form.add_error("password", error)
            else:
                del request.session[SESSION_TOKEN_KEY]
                login(request, user, backend=ACCOUNT_BACKEND)
                messages.success(request, _("Welcome! Your account is ready."))
                return redirect("/")
        return render(
            request, "accounts/accept_invitation.html", {"form": form, "invited": user}, status=400
        )


class TokenSerializer(AuthTokenSerializer):
    otp_code = serializers.CharField(
        label=gettext_lazy("Two-step code"),
        required=False,
        allow_blank=True,
        write_only=True,
        help_text=gettext_lazy(
            "Staff and operators: the code from the authenticator app (or a recovery code)."
        ),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            attrs = super().validate(attrs)
        except serializers.ValidationError:  # the e-mail address and password do not match
            spraying.count_failure(self.context["request"])
            raise
        user = attrs["user"]
        if twofactor.needs_two_factor(user):
            if not twofactor.has_two_factor(user):
                raise serializers.ValidationError(
                    {"otp_code": _("Set up two-step verification on the website first.")}
                )
            try:
                twofactor.verify_code(user=user, code=attrs.get("otp_code", ""), via="token")
            except ValidationError as error:
                raise serializers.ValidationError(
                    {"otp_code": error.message_dict["code"]}
                ) from None
        return attrs


@extend_schema(request=TokenSerializer, responses=TokenSerializer)
class TokenView(ObtainAuthToken):
    """Exchange e-mail address and password (and, for staff, a two-step code) for an API
    token (throttled). The token counts as a verified login: it is issued after the code."""

    serializer_class = TokenSerializer
    authentication_classes = []  # the password is the credential: no token, no session
    permission_classes = [AllowAny]
    parser_classes = api_settings.DEFAULT_PARSER_CLASSES
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if spraying.budget_spent(request):
            raise Throttled(wait=spraying.seconds_left(request), detail=spraying.spent_message())
        return super().post(request, *args, **kwargs)
