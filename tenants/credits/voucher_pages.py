"""The vouchers' pages: the broker prints a batch (the answer is the PDF sheet: the codes
exist nowhere else) and voids one; a provider, or a participant, hands a code in."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from tenants.organisations.models import Organisation
from tenants.people.sessions import current_participant
from tijdvoorelkaar.accounts.access import StaffRequired, object_or_404
from tijdvoorelkaar.forms import ServiceErrorsMixin
from tijdvoorelkaar.neighbourhoods.selectors import current_neighbourhood
from tijdvoorelkaar.pagination import page_of

from .limits import code_tries_spent, count_wrong_code
from .models import AMOUNT_DIGITS, VoucherBatch
from .offers import organisations_run_by
from .switch import CreditsOnRequired
from .voucher_sheet import voucher_sheet
from .vouchers import MAX_VOUCHERS, batches_with_counts, print_vouchers, redeem_voucher, void_batch


class PrintForm(ServiceErrorsMixin, forms.Form):
    count = forms.IntegerField(
        label=gettext_lazy("Number of vouchers"), min_value=1, max_value=MAX_VOUCHERS
    )
    value = forms.DecimalField(
        label=gettext_lazy("Value of each voucher"), max_digits=AMOUNT_DIGITS + 4, decimal_places=6
    )
    description = forms.CharField(label=gettext_lazy("What they are for"), max_length=200)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)


class VoidForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why void the batch"), max_length=200)


class CodeForm(ServiceErrorsMixin, forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code on the voucher"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Received by"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation] | None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if organisations is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class VoucherBatchListView(CreditsOnRequired, StaffRequired, View):
    """The batches printed, and the form that prints one: its answer is the sheet."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, PrintForm(initial={"idempotency_key": _new_key()}))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PrintForm(request.POST)
        if form.is_valid():
            try:
                printed = print_vouchers(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                if not printed.codes:  # the same form sent twice: the first got the sheet
                    messages.info(request, _("This batch was printed already."))
                    return redirect("credits:voucher-batch", pk=printed.batch.pk)
                return _sheet_response(printed.batch, printed.codes)
        return self._render(request, form, status=400)

    def _render(self, request: HttpRequest, form: PrintForm, status: int = 200) -> HttpResponse:
        page = page_of(request, batches_with_counts())
        return render(
            request, "credits/voucher_batches.html", {"form": form, "page": page}, status=status
        )


def _new_key() -> str:
    return secrets.token_urlsafe(16)


def _sheet_response(batch: VoucherBatch, codes: list[str]) -> HttpResponse:
    pdf = voucher_sheet(neighbourhood=current_neighbourhood(), batch=batch, codes=codes)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="vouchers-{batch.pk}.pdf"'
    response["Cache-Control"] = "no-store"  # the codes are worth credits
    return response


class VoucherBatchView(CreditsOnRequired, StaffRequired, View):
    """One batch: which vouchers were handed in, when and where; voiding what is left."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, pk, VoidForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = object_or_404(VoucherBatch.objects.all(), pk)
        form = VoidForm(request.POST)
        if form.is_valid():
            try:
                void_batch(batch=batch, by=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("The batch is voided."))
                return redirect("credits:voucher-batch", pk=pk)
        return self._render(request, pk, form, status=400)

    def _render(
        self, request: HttpRequest, pk: int, form: VoidForm, status: int = 200
    ) -> HttpResponse:
        batch = object_or_404(batches_with_counts(), pk)
        vouchers = batch.vouchers.select_related("redeemed_into__organisation").order_by("number")
        return render(
            request,
            "credits/voucher_batch.html",
            {"batch": batch, "vouchers": vouchers, "form": form},
            status=status,
        )


class VoucherRedeemView(CreditsOnRequired, View):
    """Hand a voucher in: an organisation's member (or staff) for an organisation, a
    participant signed in by a link for themselves. Wrong codes are counted per address
    and person; once over the budget, the page refuses for the rest of the hour."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not current_neighbourhood().credits_enabled:  # before anything is asked of who
            raise Http404
        organisations = organisations_run_by(request.user).order_by("name")
        self.participant = None
        if organisations.exists():
            self.organisations: QuerySet[Organisation] | None = organisations
            self.who = f"user:{request.user.pk}"
        else:
            self.organisations = None
            self.participant = current_participant(request)
            if self.participant is None:
                raise Http404
            self.who = f"participant:{self.participant.pk}"
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        form = CodeForm(
            organisations=self.organisations, initial={"code": request.GET.get("code", "")[:40]}
        )
        return self._render(request, form)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CodeForm(request.POST, organisations=self.organisations)
        if code_tries_spent(request, self.who):
            form.is_valid()
            form.add_error(None, _("Too many wrong codes. Try again in an hour."))
            return self._render(request, form, status=429)
        if form.is_valid():
            data = form.cleaned_data
            try:
                voucher = redeem_voucher(
                    code=data["code"],
                    by=request.user,
                    organisation=data.get("organisation"),
                    participant=self.participant,
                )
            except ValidationError as error:
                count_wrong_code(request, self.who)
                form.add_service_errors(error)
            else:
                messages.success(
                    request,
                    _("Voucher accepted: %(value)s %(credit)s received.")
                    % {
                        "value": voucher.batch.value_text,
                        "credit": current_neighbourhood().credit_name,
                    },
                )
                return redirect("credits:voucher-redeem")
        return self._render(request, form, status=400)

    def _render(self, request: HttpRequest, form: CodeForm, status: int = 200) -> HttpResponse:
        return render(request, "credits/voucher_redeem.html", {"form": form}, status=status)
