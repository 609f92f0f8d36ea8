from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views import View
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.throttling import ScopedRateThrottle

from .forms import ChoosePasswordForm, LoginForm
from .models import User
from .services import accept_invitation
from .tokens import invitation_tokens

SESSION_TOKEN = "choose-password"  # noqa: S105 - not a secret: stands in for the token once it is in the session
SESSION_TOKEN_KEY = "_invitation_token"  # noqa: S105 - a session key name


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_invalid(self, form: LoginForm) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)


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
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("Welcome! Your account is ready."))
                return redirect("/")
        return render(
            request, "accounts/accept_invitation.html", {"form": form, "invited": user}, status=400
        )


class TokenView(ObtainAuthToken):
    """Exchange e-mail address and password for an API token (throttled)."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"
