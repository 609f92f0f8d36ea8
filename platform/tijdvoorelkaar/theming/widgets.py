"""Form controls written in Python: the markup of Django's own widget templates for inputs,
selects and text areas, without a template render per control, per option and per attribute.

Django renders a select of ten options through 22 small templates; on the ads list's four
filters that was a seventh of an uncached page (docs/operations/benchmarks.md). The widget
still builds its context (`Widget.get_context`: the value, the attributes, which option is
selected), so every rule of Django's widgets holds; only the writing out is done here. A
widget with a template of its own (the project's, or one of Django's not listed below) is
rendered by its template as before.
"""

from __future__ import annotations

from typing import Any

from django.forms import Widget
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

_WIDGETS = "django/forms/widgets/"
# Django's templates that are nothing but `{% include "django/forms/widgets/input.html" %}`.
INPUT_TEMPLATES = frozenset(
    f"{_WIDGETS}{name}.html"
    for name in (
        "input", "text", "search", "email", "number", "url", "password", "tel", "date",
        "datetime", "time", "color", "hidden", "checkbox", "file",
    )
)  # fmt: skip
SELECT_TEMPLATE = f"{_WIDGETS}select.html"
OPTION_TEMPLATE = f"{_WIDGETS}select_option.html"
TEXTAREA_TEMPLATE = f"{_WIDGETS}textarea.html"


def attributes(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html: ` name="value"`, a bare name for True, none for False."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict[str, Any]) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(str(value))}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{shown}{attributes(widget["attrs"])}>'
    )


def _select(widget: dict[str, Any]) -> str:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{attributes(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            parts.append(
                f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                f"{attributes(option['attrs'])}>{conditional_escape(option['label'])}</option>"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _textarea(widget: dict[str, Any]) -> str:
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return (
        f'<textarea name="{conditional_escape(widget["name"])}"{attributes(widget["attrs"])}>\n'
        f"{value}</textarea>"
    )


def _writer(widget: Widget) -> Any:
    template = widget.template_name
    if template in INPUT_TEMPLATES:
        return _input
    if template == SELECT_TEMPLATE and getattr(widget, "option_template_name", "") == (
        OPTION_TEMPLATE
    ):
        return _select
    if template == TEXTAREA_TEMPLATE:
        return _textarea
    return None


def render_widget(widget: Widget, name: str, value: Any, attrs: dict[str, Any], renderer: Any):
    """What `widget.render(name, value, attrs, renderer)` returns, written in Python where
    the widget uses one of Django's plain templates."""
    writer = _writer(widget)
    if writer is None:
        return widget.render(name=name, value=value, attrs=attrs, renderer=renderer)
    return mark_safe(writer(widget.get_context(name, value, attrs)["widget"]))  # noqa: S308 - escaped above


def render_bound_field(field: Any, attrs: dict[str, Any]) -> SafeString:
    """`BoundField.as_widget(attrs=attrs)`, through `render_widget`."""
    widget = field.field.widget
    if field.field.localize:
        widget.is_localized = True
    attrs = field.build_widget_attrs(dict(attrs), widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    return render_widget(widget, field.html_name, field.value(), attrs, field.form.renderer)


def csrf_input(csrf_token: object) -> str:
    """The hidden CSRF field as `{% csrf_token %}` writes it with the page's `csrf_token`, for
    forms written in Python."""
    value = str(csrf_token or "")
    if value in ("", "NOTPROVIDED"):  # what the tag writes nothing for
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{conditional_escape(value)}">'
