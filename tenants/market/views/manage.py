"""The admin's lists for the marketplace: categories and sub-areas."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from tenants.people.models import SubArea
from tijdvoorelkaar.accounts.access import AdminRequired, object_or_404
from tijdvoorelkaar.forms import ServiceErrorsMixin

from ..forms import CategoryForm, CategoryNamesForm, NameForm, SubAreaForm
from ..models import Category
from ..services.lists import (
    add_category,
    add_sub_area,
    change_category,
    change_sub_area,
    delete_sub_area,
)

CATEGORIES = "market:categories"
SUB_AREAS = "market:sub-areas"


def _saved(
    request: HttpRequest,
    form: ServiceErrorsMixin,
    write: Callable[[], object],
    *,
    done: str,
    to: str,
) -> HttpResponse | None:
    """Run the service call `write`: on success a message and a redirect to `to`; on its
    ValidationError the errors on the form and None (the caller shows the form again)."""
    try:
        write()
    except ValidationError as error:
        form.add_service_errors(error)
        return None
    messages.success(request, done)
    return redirect(to)


class _NamedListView(AdminRequired, View):
    """A list the admin keeps (categories, sub-areas), with a form that adds one by name."""

    template: str
    to: str  # the URL name of the list, after adding
    added: str  # the message after adding
    add: Callable[..., object]  # the service: add(by=..., **the form's data)
    form_class: type[forms.Form] = NameForm

    def items(self) -> QuerySet[Any]:
        raise NotImplementedError

    def _render(self, request: HttpRequest, form: Any, status: int = 200) -> HttpResponse:
        return render(request, self.template, {"items": self.items(), "form": form}, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, self.form_class())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.form_class(request.POST)
        if form.is_valid():
            write = partial(self.add, by=request.user, **form.cleaned_data)
            if saved := _saved(request, form, write, done=str(self.added), to=self.to):
                return saved
        return self._render(request, form, status=400)


class CategoriesView(_NamedListView):
    template = "market/manage/categories.html"
    to = CATEGORIES
    added = gettext_lazy("Category added.")
    add = staticmethod(add_category)
    form_class = CategoryNamesForm

    def items(self) -> QuerySet[Any]:
        return Category.objects.annotate(ad_count=Count("ads")).order_by("position", "name")


class CategoryView(AdminRequired, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        category = object_or_404(Category.objects.all(), pk)
        form = CategoryForm(
            initial={
                "name": category.name,
                "name_en": category.name_en,
                "position": category.position,
                "is_active": category.is_active,
            }
        )
        return render(request, "market/manage/item.html", {"item": category, "form": form})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        category = object_or_404(Category.objects.all(), pk)
        form = CategoryForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            write = partial(change_category, category=category, by=request.user, **data)
            if saved := _saved(request, form, write, done=_("Saved."), to=CATEGORIES):
                return saved
        return render(
            request, "market/manage/item.html", {"item": category, "form": form}, status=400
        )


class SubAreasView(_NamedListView):
    template = "market/manage/sub_areas.html"
    to = SUB_AREAS
    added = gettext_lazy("Sub-area added.")
    add = staticmethod(add_sub_area)

    def items(self) -> QuerySet[Any]:
        return SubArea.objects.annotate(
            ad_count=Count("ads", distinct=True),
            participant_count=Count("participants", distinct=True),
        ).order_by("position", "name")


class SubAreaView(AdminRequired, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        sub_area = object_or_404(SubArea.objects.all(), pk)
        form = SubAreaForm(initial={"name": sub_area.name, "position": sub_area.position})
        return render(
            request,
            "market/manage/item.html",
            {"item": sub_area, "form": form, "deletable": True},
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        sub_area = object_or_404(SubArea.objects.all(), pk)
        if request.POST.get("action") == "delete":
            try:
                delete_sub_area(sub_area=sub_area, by=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Sub-area deleted."))
            return redirect(SUB_AREAS)
        form = SubAreaForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            write = partial(change_sub_area, sub_area=sub_area, by=request.user, **data)
            if saved := _saved(request, form, write, done=_("Saved."), to=SUB_AREAS):
                return saved
        return render(
            request,
            "market/manage/item.html",
            {"item": sub_area, "form": form, "deletable": True},
            status=400,
        )
