"""American English in everything a user reads: pages, emails, PDFs, messages, admin labels and the README.

Washington State's portal says license, organization, offense and canceled. Python identifiers, database
columns and the feed contract's published field names (`defendant.licence`) may keep their spelling, so a word
joined to others by `_` or `.` is a name, not text, and is left alone.
"""

import ast
import re
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.forms.utils import pretty_name
from django.urls import get_resolver

ROOT = Path(__file__).resolve().parents[2]
APP_DIRS = ["sector", "citations", "courts", "collisions"]

_STEMS = "initi|normal|recogn|priorit|minim|util|custom|final|apolog|real|categor|emphas|standard|synchron|optim"
_STEMS += "|serial|visual|special|capital|author|penal|memor|maxim|summar|organ|anonym|digit|sanit|legal"
BRITISH = re.compile(
    r"^(?:"
    r"organis\w*|licences?|licenced|offences?|defences?|cancell\w*|colour\w*"
    r"|acknowledgements?|judgements?|behaviours?|favour\w*|honour\w*|labour\w*|neighbour\w*"
    r"|centres?|metres?|litres?|catalogues?|programmes?|enrol|enrols|enrolment\w*|fulfilment|analys(?:e|ed|es|ing)"
    rf"|(?:{_STEMS})is(?:e|ed|es|ing|ation|ations|er|ers)"
    r"|(?:model|label|signal|travel|cancel|fuel|total|counsel|channel)l(?:ed|ing|er|ers)"
    r"|grey|cheques?|tyres?|whilst|amongst|learnt|spelt|\w+isations?"
    r")$"
)
NAME = re.compile(r"^[\w.]+$")
TOKEN = re.compile(r"[A-Za-z][\w.'-]*")


def british_words(text: str) -> list[str]:
    found = []
    for token in TOKEN.findall(text or ""):
        token = token.strip(".'-")
        if "_" in token or "." in token:
            continue  # an identifier or a field path, e.g. licence_number, defendant.licence.number
        for word in token.split("-"):
            lw = word.lower().removesuffix("'s")
            if BRITISH.match(lw):
                found.append(word)
    return found


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Your organisation's requests", ["organisation's"]),
        ("The licence was cancelled; an offence.", ["licence", "cancelled", "offence"]),
        ("Colour, acknowledgement, authorised, summarise, travelling", None),
        ("license, organization, canceled, offense, color, emphasis, realistic", []),
        ("defendant.licence.number and licence_number are names", []),
    ],
)
def test_the_checker_finds_british_spellings_and_leaves_names_alone(text, expected):
    found = british_words(text)
    assert found == expected if expected is not None else len(found) == 5


def _template_text(source: str) -> str:
    """What a reader sees of a template: no template tags, variables or comments; no attribute that is not shown."""
    source = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", " ", source, flags=re.S)
    return re.sub(
        r'\s(?:id|class|for|name|href|src|aria-labelledby|aria-describedby|aria-controls)="[^"]*"', " ", source
    )


def _files(*patterns):
    for pattern in patterns:
        yield from sorted(ROOT.glob(pattern))


def test_templates_emails_pdfs_and_the_readme_are_in_american_english():
    bad = []
    for path in _files("templates/**/*.html", "templates/**/*.txt", "README.md", "static/js/portal.js"):
        text = path.read_text()
        if path.suffix in (".html", ".txt"):
            text = _template_text(text)
        for lineno, line in enumerate(text.splitlines(), 1):
            bad += [f"{path.relative_to(ROOT)}:{lineno}: {w}" for w in british_words(line)]
    assert not bad, "\n".join(bad)


def _strings(path: Path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


def test_messages_errors_and_help_texts_in_the_code_are_in_american_english():
    """Every string literal in app code (messages, errors, help texts, labels, choices, docstrings)."""
    bad = []
    for d in APP_DIRS:
        for path in (ROOT / d).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for lineno, value in _strings(path):
                if NAME.match(value):
                    continue  # a dict key, field name or dotted path, not text
                bad += [f"{path.relative_to(ROOT)}:{lineno}: {w}" for w in british_words(value)]
    assert not bad, "\n".join(bad)


def test_model_admin_and_form_labels_are_in_american_english():
    """Labels Django derives from names (a field `organisation` without a verbose_name reads "Organisation")."""
    get_resolver().url_patterns  # imports every view, so every form class is defined
    bad = []
    for model in apps.get_models():
        if model._meta.app_label not in {c.label for c in apps.get_app_configs() if _ours(c.name)}:
            continue
        meta = model._meta
        texts = [str(meta.verbose_name), str(meta.verbose_name_plural), *(name for _, name in meta.permissions)]
        for f in meta.get_fields():
            texts += [str(getattr(f, "verbose_name", "")), str(getattr(f, "help_text", ""))]
            texts += [str(label) for _, label in (getattr(f, "flatchoices", None) or [])]
        bad += [f"{meta.label}: {w}" for t in texts for w in british_words(t)]
    for model, model_admin in admin.site._registry.items():
        for name in [*model_admin.list_display, *model_admin.list_filter]:
            if isinstance(name, str):
                label = str(label_for_field(name, model, model_admin))
                bad += [f"admin {model._meta.label}.{name}: {w}" for w in british_words(label)]
    for form in _all_subclasses(forms.BaseForm):
        if not _ours(form.__module__):
            continue
        for name, field in getattr(form, "base_fields", {}).items():
            texts = [str(field.label or pretty_name(name)), str(field.help_text or "")]
            if not isinstance(field, forms.ModelChoiceField):
                texts += [str(label) for _, label in getattr(field, "choices", None) or [] if isinstance(label, str)]
            bad += [f"form {form.__module__}.{form.__name__}.{name}: {w}" for t in texts for w in british_words(t)]
    assert not bad, "\n".join(bad)


def _ours(module: str) -> bool:
    return module.split(".")[0] in APP_DIRS


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)
