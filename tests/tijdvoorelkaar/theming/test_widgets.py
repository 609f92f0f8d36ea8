"""Form controls written in Python give the markup of Django's widget templates."""

from __future__ import annotations

import re

import pytest
from django import forms

from tijdvoorelkaar.theming.widgets import render_bound_field


class Everything(forms.Form):
    text = forms.CharField(max_length=20, help_text="Help")
    search = forms.CharField(required=False, widget=forms.TextInput(attrs={"type": "search"}))
    email = forms.EmailField()
    number = forms.IntegerField(min_value=1)
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    agree = forms.BooleanField(required=False)
    body = forms.CharField(widget=forms.Textarea)
    kind = forms.ChoiceField(choices=[("", "All"), ("a", "A & B"), ("b", "<B>")])
    grouped = forms.ChoiceField(
        required=False, choices=[("", "None"), ("Fruit", [("1", "Apple"), ("2", "Pear")])]
    )
    many = forms.MultipleChoiceField(choices=[("1", "One"), ("2", "Two")])
    secret = forms.CharField(widget=forms.HiddenInput)
    pick = forms.ChoiceField(choices=[("1", "One")], widget=forms.RadioSelect)


def _same(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"text": 'a "quoted" <value>', "kind": "b", "grouped": "2", "agree": "on", "many": ["2"]},
        {"text": "x" * 30, "number": "0", "body": "line\n<b>", "kind": "nonsense"},
    ],
)
def test_every_control_is_written_as_djangos_templates_write_it(data) -> None:
    form = Everything(data)
    form.is_valid()
    for field in form:
        attrs = {"aria-describedby": f"{field.auto_id}_helptext", "aria-invalid": "true"}
        assert _same(render_bound_field(field, attrs)) == _same(field.as_widget(attrs=attrs)), (
            field.name
        )
