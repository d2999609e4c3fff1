import re

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from sector.orgs.models import Agency

from .choices import OPEN_STATUSES, Status
from .models import Category, Priority
from .selectors import support_agents

OPEN = "open"
_REFERENCE = re.compile(r"^\s*(?:SR-?)?0*(\d{1,9})\s*$", re.IGNORECASE)


class RequestFilter(django_filters.FilterSet):
    """The queue's filters. A value that is not a valid choice shows as a form error and is ignored."""

    q = django_filters.CharFilter(
        label="Search",
        method="search",
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "SR number, subject, agency or court"}),
    )
    status = django_filters.ChoiceFilter(
        choices=[(OPEN, "Open (new, in progress, waiting)"), *Status.choices],
        empty_label="Any status",
        method="by_status",
    )
    priority = django_filters.ModelChoiceFilter(queryset=Priority.objects.all(), empty_label="Any priority")
    category = django_filters.ModelChoiceFilter(queryset=Category.objects.all(), empty_label="Any category")
    agency = django_filters.ModelChoiceFilter(
        queryset=Agency.objects.only("id", "name", "ori"), empty_label="Any agency", to_field_name="ori"
    )
    assignee = django_filters.ModelChoiceFilter(
        queryset=support_agents(), empty_label="Anyone", to_field_name="username", label="Assigned to"
    )
    breached = django_filters.BooleanFilter(
        label="Targets",
        method="by_breach",
        widget=forms.Select(choices=[("", "Any"), ("true", "Breached"), ("false", "Within targets")]),
    )

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = (
            Q(subject__icontains=value)
            | Q(agency__name__icontains=value)
            | Q(agency__ori__istartswith=value)
            | Q(court__name__icontains=value)
            | Q(court__code__iexact=value)
        )
        match = _REFERENCE.match(value)
        if match:
            condition |= Q(pk=int(match.group(1)))
        return queryset.filter(condition)

    def by_status(self, queryset, name, value):
        if value == OPEN:
            return queryset.filter(status__in=OPEN_STATUSES)
        return queryset.filter(status=value) if value else queryset

    def by_breach(self, queryset, name, value):
        if value is None:
            return queryset
        breached = queryset.model.objects.breached(timezone.now()).values("pk")
        return queryset.filter(pk__in=breached) if value else queryset.exclude(pk__in=breached)
