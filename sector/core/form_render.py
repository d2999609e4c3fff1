"""An unbound form rendered by crispy-forms once per process, then served from memory (issue 15).

Rendering a form through crispy-forms costs a template per field and, for a select, one per option: the ticket
page's six action forms were a quarter of its time, the same HTML on every view. `{{ form|crispy_cached }}`
renders exactly what `{{ form|crispy }}` does; the HTML is kept under the form's fingerprint, every input of
the rendering (the form class, prefix and ids; each field's class, widget, label, help text, required flag,
initial value, widget attributes and choices), so a form whose inputs differ renders anew. A bound form (it
carries the user's data and errors) is never kept, nor a form whose choices come from a queryset not yet
evaluated (the fingerprint could not see them): give such a field plain choices from one query.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from django import forms
from django.utils.safestring import SafeString

MAX_ENTRIES = 256
_cache: OrderedDict[tuple, SafeString] = OrderedDict()
_lock = threading.Lock()


def _plain(value: Any) -> Any:
    """A hashable, stable form of choices, attributes and initial values (lazy strings made plain)."""
    if isinstance(value, dict):
        return tuple(sorted((str(k), _plain(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_plain(v) for v in value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return (type(value).__name__, str(value))


def _form_part(form: forms.BaseForm) -> tuple:
    return (
        type(form).__module__,
        type(form).__qualname__,
        form.prefix,
        str(form.auto_id),
        form.use_required_attribute,
        form.label_suffix,
        form.is_bound,
    )


def _field_part(name: str, field: forms.Field) -> tuple | None:
    if isinstance(field, forms.ModelChoiceField) and not hasattr(field, "_choices"):
        return None  # choices from a queryset: not known without running it
    widget = field.widget
    return (
        name,
        type(field).__qualname__,
        type(widget).__qualname__,
        str(field.label),
        str(field.help_text),
        field.required,
        field.disabled,
        field.show_hidden_initial,
        _plain(field.initial() if callable(field.initial) else field.initial),
        _plain(widget.attrs),
        _plain(list(getattr(field, "choices", ()) or ())),
    )


def fingerprint(form: forms.BaseForm) -> tuple | None:
    """Every input of an unbound form's rendering, or None when the form cannot be kept."""
    if form.is_bound:
        return None
    parts: list[Any] = [_form_part(form), _plain(form.initial)]
    for name, field in form.fields.items():
        part = _field_part(name, field)
        if part is None:
            return None
        parts.append(part)
    return tuple(parts)


def field_fingerprint(bound: forms.BoundField) -> tuple | None:
    """Every input of one field's rendering: the field as above, and the value and errors it is shown with."""
    part = _field_part(bound.name, bound.field)
    if part is None:
        return None
    return (_form_part(bound.form), part, _plain(bound.value()), tuple(str(e) for e in bound.errors))


def _kept(key: tuple | None, render) -> SafeString:
    if key is None:
        return render()
    with _lock:
        html = _cache.get(key)
        if html is not None:
            _cache.move_to_end(key)
            return html
    html = render()
    with _lock:
        _cache[key] = html
        while len(_cache) > MAX_ENTRIES:
            _cache.popitem(last=False)
    return html


def render_crispy(form: forms.BaseForm) -> SafeString:
    """What `{{ form|crispy }}` renders, from memory when this process has rendered the same form before."""
    from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form

    return _kept(fingerprint(form), lambda: as_crispy_form(form))


def render_crispy_field(bound: forms.BoundField) -> SafeString:
    """What `{{ form.field|as_crispy_field }}` renders, from memory for the same field, value and errors."""
    from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

    key = field_fingerprint(bound)
    return _kept(None if key is None else ("field", key), lambda: as_crispy_field(bound))


def clear() -> None:
    with _lock:
        _cache.clear()
