"""Forms of the marketplace: shape only; the services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tenants.organisations.models import Organisation
from tenants.people.models import Participant, SubArea
from tijdvoorelkaar.forms import ServiceErrorsMixin
from tijdvoorelkaar.translated_names import english_name_field

from .limits import HONEYPOT_FIELD
from .models import Ad, AdKind, Category
from .photos import clean_photo
from .selectors import active_categories

PUBLIC_KINDS = [
    (AdKind.REQUEST.value, _("A request: I am looking for help")),
    (AdKind.OFFER.value, _("An offer: I would like to help")),
]


class HoneypotMixin:
    """A field people never see (hidden from sight and from screen readers, out of the tab
    order) that bots fill in. Rendered by market/respond_honeypot.html, not a form field."""

    def honeypot_filled(self) -> bool:
        return bool(str(self.data.get(HONEYPOT_FIELD, "")).strip())  # type: ignore[attr-defined]


class SearchForm(forms.Form):
    """The list's filters. Categories and sub-areas come as lists (read once, with a plain
    query): a ModelChoiceField would read them again through a server-side cursor, three
    round trips each, on every list page."""

    q = forms.CharField(label=_("Search for"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Requests or offers"),
        required=False,
        choices=[("", _("All")), *AdKind.choices],
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    sub_area = forms.ChoiceField(label=_("Sub-area"), required=False)

    def __init__(self, *args: Any, categories: Any, sub_areas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._options = {
            "category": {str(c.pk): c for c in categories},
            "sub_area": {str(a.pk): a for a in sub_areas},
        }
        self.fields["category"].choices = [
            ("", _("All categories")),
            *((pk, c.display_name) for pk, c in self._options["category"].items()),
        ]
        self.fields["sub_area"].choices = [
            ("", _("The whole neighbourhood")),
            *((pk, a.name) for pk, a in self._options["sub_area"].items()),
        ]
        self.fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off"})

    def clean_category(self) -> Any:
        return self._options["category"].get(self.cleaned_data.get("category") or "")

    def clean_sub_area(self) -> Any:
        return self._options["sub_area"].get(self.cleaned_data.get("sub_area") or "")


class _AdFields(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=100,
        help_text=_("In a few words, for example: Who walks my dog on Tuesdays?"),
        error_messages={
            "max_length": _("Keep the title to %(limit_value)d characters (it has %(show_value)d).")
        },
    )
    body = forms.CharField(
        label=_("What is it about?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "max_length": _("Keep the text to %(limit_value)d characters (it has %(show_value)d).")
        },
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), empty_label=_("Choose…")
    )
    sub_area = forms.ModelChoiceField(
        label=_("Sub-area"),
        required=False,
        queryset=SubArea.objects.none(),
        empty_label=_("The whole neighbourhood"),
    )
    when = forms.CharField(
        label=_("When or how often (optional)"),
        max_length=120,
        required=False,
        help_text=_("For example: once a week, Saturday mornings, in March."),
        error_messages={
            "max_length": _("Keep this to %(limit_value)d characters (it has %(show_value)d).")
        },
    )
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        help_text=_("A JPEG, PNG or WebP image of at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = active_categories()
        self.fields["sub_area"].queryset = SubArea.objects.order_by("position", "name")

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        return clean_photo(photo) if photo else None


class PlaceAdForm(ServiceErrorsMixin, HoneypotMixin, _AdFields):
    """Place an ad without an account: the kind, the text in one's own words, a name and an
    e-mail address or phone number (none of these when signed in). The rest is optional,
    under "More options": the title comes from the text, the category is suggested from it
    (`place_ad`). `publish_anyway` is the answer to "your text holds contact details"."""

    kind = forms.ChoiceField(label=_("What do you place?"), widget=forms.RadioSelect)
    organisation = forms.ModelChoiceField(
        label=_("For the organisation"), required=False, queryset=Organisation.objects.none()
    )
    display_name = forms.CharField(
        label=_("Your name as others will see it"),
        max_length=80,
        help_text=_("Your first name is enough."),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        help_text=_("We send you a link to confirm your ad. Others never see your address."),
    )
    phone = forms.CharField(
        label=_("Or only a phone number"),
        max_length=30,
        required=False,
        help_text=_("Without e-mail the broker calls you and publishes the ad for you."),
    )
    publish_anyway = forms.BooleanField(label=_("Publish it as it is"), required=False)

    field_order = [
        "kind",
        "organisation",
        "body",
        "display_name",
        "email",
        "phone",
        "title",
        "category",
        "sub_area",
        "when",
        "photo",
        "publish_anyway",
    ]

    def __init__(
        self,
        *args: Any,
        participant: Participant | None = None,
        organisations: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.signed_in = participant is not None
        kinds = list(PUBLIC_KINDS)
        if organisations:
            kinds.append((AdKind.VACANCY.value, _("A volunteer vacancy of my organisation")))
            self.fields["organisation"].queryset = organisations
        else:
            del self.fields["organisation"]
        self.fields["kind"].choices = kinds
        self.fields["body"].label = _("What do you ask or offer? In your own words")
        self.fields["body"].help_text = _(
            "For example: Who walks my dog on Tuesdays? Or: I like to help with the garden."
        )
        self.fields["title"].required = False
        self.fields["title"].help_text = _("Leave it empty: the start of your text is the title.")
        self.fields["category"].required = False
        self.fields["category"].empty_label = _("Choose one for me from my text")
        if self.signed_in:
            for name in ("display_name", "email", "phone"):
                del self.fields[name]
        else:
            self.fields["email"].widget.attrs["autocomplete"] = "email"
            self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "type": "tel"})
            self.fields["display_name"].widget.attrs["autocomplete"] = "given-name"

    def _bound(self, names: tuple[str, ...]) -> list[Any]:
        return [self[name] for name in names if name in self.fields]

    def ad_fields(self) -> list[Any]:
        return self._bound(("organisation", "body"))

    def contact_fields(self) -> list[Any]:
        return self._bound(("display_name", "email", "phone"))

    def more_fields(self) -> list[Any]:
        """The optional fields, out of the way (open when one of them has an error)."""
        return self._bound(("title", "category", "sub_area", "when", "photo"))

    def more_open(self) -> bool:
        return any(field.errors for field in self.more_fields())

    def asks_publish_anyway(self) -> bool:
        """Whether to show the "publish it as it is" choice: after the warning, and while the
        resident keeps it ticked."""
        return bool(self["publish_anyway"].errors or self.data.get("publish_anyway"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.signed_in and not data.get("email") and not (data.get("phone") or "").strip():
            self.add_error("email", _("Give an e-mail address, or else a phone number."))
        if data.get("kind") == AdKind.VACANCY and not data.get("organisation"):
            self.add_error("organisation", _("Choose the organisation this vacancy is for."))
        return data


def ad_form_initial(ad: Ad) -> dict[str, Any]:
    """What an edit form of `ad` starts with, for the owner's and the broker's forms alike."""
    return {
        "title": ad.title,
        "body": ad.body,
        "category": ad.category_id,
        "sub_area": ad.sub_area_id,
        "when": ad.when,
    }


class EditAdForm(ServiceErrorsMixin, _AdFields):
    pass


class EmailForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"


class ProfileForm(ServiceErrorsMixin, forms.Form):
    display_name = forms.CharField(label=_("Your name as others see it"), max_length=80)
    sub_area = forms.ModelChoiceField(
        label=_("Sub-area"),
        required=False,
        queryset=SubArea.objects.none(),
        empty_label=_("I would rather not say"),
    )
    introduction = forms.CharField(
        label=_("A short introduction"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What do you like to do? Never put your address or phone number here."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sub_area"].queryset = SubArea.objects.order_by("position", "name")


class NameForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)


class CategoryNamesForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Name in Dutch"), max_length=80)
    name_en = english_name_field()


class CategoryForm(CategoryNamesForm):
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=32000)
    is_active = forms.BooleanField(label=_("In use"), required=False)


class SubAreaForm(NameForm):
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=32000)
