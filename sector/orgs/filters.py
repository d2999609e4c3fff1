import django_filters
from django import forms
from django.db.models import Q

from .choices import COUNTY_CHOICES, AgencyKind, CourtKind, RecordsSystem


class AgencyFilter(django_filters.FilterSet):
    """Directory filters. A value that is not a valid choice is shown as a form error and ignored."""

    q = django_filters.CharFilter(
        label="Name or ORI", method="search", max_length=100, widget=forms.TextInput(attrs={"type": "search"})
    )
    county = django_filters.ChoiceFilter(choices=COUNTY_CHOICES, empty_label="Any county")
    kind = django_filters.ChoiceFilter(choices=AgencyKind.choices, empty_label="Any kind")
    records_system = django_filters.ChoiceFilter(
        choices=RecordsSystem.choices, empty_label="Any", label="Records system"
    )

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(ori__istartswith=value)) if value else queryset


class CourtFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Name or code", method="search", max_length=100, widget=forms.TextInput(attrs={"type": "search"})
    )
    county = django_filters.ChoiceFilter(choices=COUNTY_CHOICES, empty_label="Any county")
    kind = django_filters.ChoiceFilter(choices=CourtKind.choices, empty_label="Any kind")
    accepts_etickets = django_filters.BooleanFilter(
        label="Accepts e-tickets", widget=forms.Select(choices=[("", "Either"), ("true", "Yes"), ("false", "No")])
    )

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(code__istartswith=value)) if value else queryset
