"""The newsletter's pages: the broker's (issues, editing, the mailing's progress,
subscribers, settings) and everyone's (subscribe, confirm, unsubscribe, web version,
archive)."""

from __future__ import annotations

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from tenants.audit.services import record_audit_event
from tenants.outbox.services import retry_failed_batch
from tijdvoorelkaar.accounts.access import AdminRequired, StaffRequired, object_or_404
from tijdvoorelkaar.pagination import page_of

from . import drafts, rendering, selectors, services, subscriptions
from .forms import (
    MailingSettingsForm,
    NewsletterForm,
    PaperSubscriberForm,
    ScheduleForm,
    SubscribeForm,
)
from .models import Newsletter, NewsletterStatus, Subscriber, SubscriberStatus

# --- the broker's pages -------------------------------------------------------------------


class NewsletterListView(StaffRequired, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        context = {
            "page": page_of(request, selectors.newsletters()),
            "counts": selectors.subscriber_counts(),
        }
        return render(request, "mailings/list.html", context)

    def post(self, request: HttpRequest) -> HttpResponse:
        month = services.next_issue_month(timezone.localdate())
        newsletter = drafts.assemble_newsletter(month=month, by=request.user)
        return redirect("mailings:edit", pk=newsletter.pk)


def newsletter_or_404(pk: int) -> Newsletter:
    return object_or_404(Newsletter.objects.all(), pk)


def _reader_language(request: HttpRequest, newsletter: Newsletter) -> str:
    """The language a preview or test is in: `?language=` (the preview links offer each),
    else the page's, as a subscriber reading in it gets the newsletter."""
    wanted = request.GET.get("language") or get_language()
    return subscriptions.reader_language(wanted, newsletter.language)


class NewsletterEditView(StaffRequired, View):
    def _render(
        self,
        request: HttpRequest,
        newsletter: Newsletter,
        form: NewsletterForm,
        schedule: ScheduleForm | None = None,
        status: int = 200,
    ) -> HttpResponse:
        schedule = schedule or ScheduleForm(
            initial={
                "at": timezone.localtime(
                    newsletter.scheduled_for or services.default_send_time(newsletter)
                )
            }
        )
        context = {"newsletter": newsletter, "form": form, "schedule": schedule}
        return render(request, "mailings/edit.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        newsletter = newsletter_or_404(pk)
        if not newsletter.is_editable:
            return redirect("mailings:mailing", pk=newsletter.pk)
        return self._render(request, newsletter, NewsletterForm(newsletter=newsletter))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        newsletter = newsletter_or_404(pk)
        if not newsletter.is_editable:
            return redirect("mailings:mailing", pk=newsletter.pk)
        action = request.POST.get("action", "save")
        if action == "unschedule":
            services.unschedule_newsletter(newsletter=newsletter, by=request.user)
            messages.success(request, _("The newsletter is a draft again."))
            return redirect("mailings:edit", pk=newsletter.pk)
        form = NewsletterForm(request.POST, newsletter=newsletter)
        schedule = ScheduleForm(request.POST if action == "schedule" else None)
        if not form.is_valid() or (action == "schedule" and not schedule.is_valid()):
            return self._render(request, newsletter, form, schedule, status=400)
        try:
            newsletter = drafts.update_newsletter(
                newsletter=newsletter, changes=form.changes(), by=request.user
            )
            if action == "test":
                services.send_test(
                    newsletter=newsletter,
                    to=request.user.email,
                    by=request.user,
                    language=_reader_language(request, newsletter),
                )
                messages.success(request, _("A test was sent to %s.") % request.user.email)
            elif action == "schedule":
                services.schedule_newsletter(
                    newsletter=newsletter, at=schedule.cleaned_data["at"], by=request.user
                )
                messages.success(request, _("The newsletter is scheduled."))
            elif action == "send":  # saved; sent only once the broker confirms
                return redirect("mailings:send", pk=newsletter.pk)
            else:
                messages.success(request, _("Saved."))
        except ValidationError as error:
            form.add_service_errors(error)
            return self._render(request, newsletter, form, schedule, status=400)
        return redirect("mailings:edit", pk=newsletter.pk)


# A mail styles itself inline (mail clients ignore stylesheets): its preview may too, and only
# styles; scripts stay the platform's own.
MAIL_PREVIEW_ALLOWANCE = {"style-src": [UNSAFE_INLINE]}


@method_decorator(csp_update(MAIL_PREVIEW_ALLOWANCE), name="get")
@method_decorator(csp_update(MAIL_PREVIEW_ALLOWANCE, REPORT_ONLY=True), name="get")
class NewsletterPreviewView(StaffRequired, View):
    """The mail as subscribers get it: HTML, or the plain text with `?text=1`."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        newsletter = newsletter_or_404(pk)
        rendered = rendering.render_newsletter(newsletter, _reader_language(request, newsletter))
        if request.GET.get("text"):
            body = rendered["text"].replace("[[unsubscribe_url]]", "#")
            return HttpResponse(body, content_type="text/plain; charset=utf-8")
        return HttpResponse(rendered["html"].replace("[[unsubscribe_url]]", "#"))


class NewsletterWebPreviewView(StaffRequired, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        newsletter = newsletter_or_404(pk)
        issue = rendering.issue_in(newsletter, _reader_language(request, newsletter))
        context = {"newsletter": newsletter, "issue": issue, "preview": True}
        return render(request, "mailings/issue.html", context)


class MailingView(StaffRequired, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        newsletter = newsletter_or_404(pk)
        failures = selectors.mailing_failures(newsletter)
        if failures:
            record_audit_event(
                actor=request.user, action="mailing_failures.viewed", target=newsletter
            )
        context = {
            "newsletter": newsletter,
            "counts": selectors.mailing_counts(newsletter),
            "failures": failures,
        }
        return render(request, "mailings/mailing.html", context)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        newsletter = newsletter_or_404(pk)
        if newsletter.batch is not None:
            retried = retry_failed_batch(batch=newsletter.batch)
            if retried:
                Newsletter.objects.filter(pk=newsletter.pk).update(status=NewsletterStatus.SENDING)
            record_audit_event(
                actor=request.user,
                action="mailings.failed_retried",
                target=newsletter,
                detail={"messages": retried},
            )
            messages.success(request, _("%d messages will be tried again.") % retried)
        return redirect("mailings:mailing", pk=newsletter.pk)


class MailingCountsView(StaffRequired, View):
    """The counts alone, for the mailing page's live update (htmx polls it)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        newsletter = newsletter_or_404(pk)
        if newsletter.status == NewsletterStatus.SENDING:
            services.settle_sending()
            newsletter.refresh_from_db(fields=["status", "sent_at", "recipients"])
        context = {"newsletter": newsletter, "counts": selectors.mailing_counts(newsletter)}
        return render(request, "mailings/includes/counts.html", context)


class SubscriberListView(StaffRequired, View):
    def _render(
        self, request: HttpRequest, form: PaperSubscriberForm, status: int = 200
    ) -> HttpResponse:
        state = request.GET.get("status", "")
        page = page_of(request, selectors.subscribers(status=state))
        record_audit_event(
            actor=request.user,
            action="subscriber_list.viewed",
            detail={"ids": [subscriber.pk for subscriber in page.object_list]},
        )
        context = {
            "page": page,
            "form": form,
            "counts": selectors.subscriber_counts(),
            "status": state,
            "statuses": SubscriberStatus.choices,
        }
        return render(request, "mailings/subscribers.html", context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, PaperSubscriberForm(initial={"language": get_language()}))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PaperSubscriberForm(request.POST)
        if form.is_valid():
            try:
                subscriptions.subscribe_on_paper(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Subscribed."))
                return redirect("mailings:subscribers")
        return self._render(request, form, status=400)


class SubscriberUnsubscribeView(StaffRequired, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        subscriber = object_or_404(Subscriber.objects.all(), pk)
        subscriptions.unsubscribe(subscriber=subscriber, by=request.user)
        messages.success(request, _("Unsubscribed."))
        return redirect("mailings:subscribers")


class MailingSettingsView(AdminRequired, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        form = MailingSettingsForm(instance=services.mailing_settings())
        return render(request, "mailings/settings.html", {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = MailingSettingsForm(request.POST, instance=services.mailing_settings())
        if form.is_valid():
            try:
                services.update_mailing_settings(
                    changes={name: form.cleaned_data[name] for name in form.Meta.fields},
                    by=request.user,
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Saved."))
                return redirect("mailings:settings")
        return render(request, "mailings/settings.html", {"form": form}, status=400)


# --- everyone's pages ---------------------------------------------------------------------


def _visitor_language() -> str:
    """The page's language (the visitor's), which the newsletter is written in too."""
    return subscriptions.reader_language(get_language(), settings.LANGUAGE_CODE[:2])


class SubscribeView(View):
    """Subscribe (double opt-in) and the archive of past issues."""

    def _render(self, request: HttpRequest, form: SubscribeForm, status: int = 200) -> HttpResponse:
        language = _visitor_language()
        issues = [
            {"number": issue.number, "subject": rendering.subject_in(issue, language)}
            for issue in selectors.archive().defer("sections")[:24]
        ]
        context = {"form": form, "issues": issues}
        return render(request, "mailings/public.html", context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, SubscribeForm(initial={"language": get_language()}))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = SubscribeForm(request.POST)
        if form.is_valid():
            try:
                subscriptions.subscribe(**form.cleaned_data)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                return redirect("mailings:subscribed")
        return self._render(request, form, status=400)


class SubscribedView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "mailings/message.html", {"state": "check-mail"})


class IssueView(View):
    """The web version of an issue that went out, at a stable URL."""

    def get(self, request: HttpRequest, number: int) -> HttpResponse:
        newsletter = selectors.archive().filter(number=number).first()
        if newsletter is None:
            raise Http404
        issue = rendering.issue_in(newsletter, _visitor_language())
        return render(request, "mailings/issue.html", {"newsletter": newsletter, "issue": issue})


class _SignedLinkView(View):
    purpose = ""

    def subscriber(self, pk: int, token: str) -> Subscriber | None:
        return subscriptions.subscriber_for_link(pk, token, self.purpose)

    def invalid(self, request: HttpRequest) -> HttpResponse:
        return render(request, "mailings/message.html", {"state": "invalid"}, status=404)


class ConfirmView(_SignedLinkView):
    """GET shows a button (a mail scanner that follows links confirms nothing); POST confirms."""

    purpose = "confirm"

    def get(self, request: HttpRequest, pk: int, token: str) -> HttpResponse:
        subscriber = self.subscriber(pk, token)
        if subscriber is None:
            return self.invalid(request)
        return render(
            request, "mailings/message.html", {"state": "confirm", "subscriber": subscriber}
        )

    def post(self, request: HttpRequest, pk: int, token: str) -> HttpResponse:
        subscriber = self.subscriber(pk, token)
        if subscriber is None:
            return self.invalid(request)
        subscriptions.confirm(subscriber=subscriber)
        return render(request, "mailings/message.html", {"state": "confirmed"})


@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(_SignedLinkView):
    """One click: the link's page has one button; a mail client's RFC 8058 POST (no cookies,
    no login, body `List-Unsubscribe=One-Click`) unsubscribes at once. The signed link names
    one address: a forged one does nothing, an old or reused one unsubscribes that address."""

    purpose = "unsubscribe"

    def get(self, request: HttpRequest, pk: int, token: str) -> HttpResponse:
        subscriber = self.subscriber(pk, token)
        if subscriber is None:
            return self.invalid(request)
        state = "unsubscribe" if subscriber.status == SubscriberStatus.ACTIVE else "unsubscribed"
        return render(request, "mailings/message.html", {"state": state, "subscriber": subscriber})

    def post(self, request: HttpRequest, pk: int, token: str) -> HttpResponse:
        subscriber = self.subscriber(pk, token)
        if subscriber is None:
            return self.invalid(request)
        subscriptions.unsubscribe(subscriber=subscriber)
        return render(request, "mailings/message.html", {"state": "unsubscribed"})
