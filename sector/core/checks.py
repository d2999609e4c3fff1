"""System checks of the platform's own safety assumptions (run by `manage.py check` and at every start)."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, register


@register()
def xml_parsers_defused(app_configs: Any, **kwargs: Any) -> list[Error]:
    """openpyxl parses workbooks with defusedxml only when it is installed and OPENPYXL_DEFUSEDXML is not
    "False"; without it an imported workbook's XML entities are expanded (billion laughs)."""
    import openpyxl

    if openpyxl.DEFUSEDXML:
        return []
    return [
        Error(
            "openpyxl is not using defusedxml, so imported workbooks' XML entities would be expanded.",
            hint="Install defusedxml (a dependency in pyproject.toml) and do not set OPENPYXL_DEFUSEDXML=False.",
            id="core.E001",
        )
    ]
