"""The stories pages: the broker's (list, write, edit, consents, publish) and the public
ones (published stories only)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_safe

from tijdvoorelkaar.accounts.access import StaffRequired, object_or_404
from tijdvoorelkaar.pagination import page_of

from . import selectors
from .forms import EditStoryForm, NewStoryForm
from .models import Story
from .services import (
    give_story_consent,
    publish_story,
    unpublish_story,
    update_story,
    withdraw_story_consent,
    write_story,
)


def _story(pk: int) -> Story:
    return object_or_404(selectors.all_stories(), pk)


class StoryListView(StaffRequired, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        page = page_of(request, selectors.all_stories())
        return render(request, "stories/list.html", {"page": page})


class StoryCreateView(StaffRequired, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        mediation = request.GET.get("mediation", "")
        initial = {"mediation": int(mediation)} if mediation.isdecimal() else {}
        return render(request, "stories/form.html", {"form": NewStoryForm(initial=initial)})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = NewStoryForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                story = write_story(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Story saved. Now record the consents."))
                return redirect("stories:detail", pk=story.pk)
        return render(request, "stories/form.html", {"form": form}, status=400)


class StoryEditView(StaffRequired, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        story = _story(pk)
        form = EditStoryForm.for_story(story)
        return render(request, "stories/form.html", {"form": form, "story": story})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        story = _story(pk)
        form = EditStoryForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                update_story(story=story, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Saved."))
                return redirect("stories:detail", pk=story.pk)
        return render(request, "stories/form.html", {"form": form, "story": story}, status=400)


def _detail(request: HttpRequest, story: Story, error: str = "") -> HttpResponse:
    context = {
        "story": story,
        "people": selectors.people_with_consent(story),
        "error": error,
    }
    return render(request, "stories/detail.html", context, status=400 if error else 200)


class StoryDetailView(StaffRequired, View):
    """A story as the broker sees it: its text, who it names and their consent, publishing."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return _detail(request, _story(pk))


class StoryConsentView(StaffRequired, View):
    """Record or withdraw the consent of one person the story names."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        story = _story(pk)
        named = {str(p.pk): p for p in selectors.named_people(story.mediation)}
        person = named.get(request.POST.get("participant", ""))
        if person is None:
            return _detail(request, story, _("Choose a person this story names."))
        try:
            if request.POST.get("consent") == "withdraw":
                was_published = story.is_published
                withdraw_story_consent(story=story, participant=person, by=request.user)
                note = _("Consent withdrawn.")
                if was_published:
                    note = _("Consent withdrawn. The story is no longer on the site.")
            else:
                give_story_consent(story=story, participant=person, by=request.user)
                note = _("Consent recorded.")
        except ValidationError as error:
            return _detail(request, story, " ".join(error.messages))
        messages.success(request, note)
        return redirect("stories:detail", pk=story.pk)


class StoryPublishView(StaffRequired, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        story = _story(pk)
        if request.POST.get("publish") == "no":
            unpublish_story(story=story, by=request.user)
            messages.success(request, _("The story is no longer on the site."))
            return redirect("stories:detail", pk=story.pk)
        try:
            publish_story(story=story, by=request.user)
        except ValidationError as error:
            return _detail(request, story, " ".join(error.messages))
        messages.success(request, _("The story is on the site."))
        return redirect("stories:detail", pk=story.pk)


@require_safe
def public_list(request: HttpRequest) -> HttpResponse:
    page = page_of(request, selectors.published_stories())
    return render(request, "stories/public_list.html", {"page": page})


@require_safe
def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    story = selectors.published_story(pk)
    if story is None:
        raise Http404
    return render(request, "stories/public_detail.html", {"story": story})
