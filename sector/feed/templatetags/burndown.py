from django import template

register = template.Library()


@register.filter
def approx(seconds) -> str:
    """Seconds as people say them: "under a minute", "about 12 minutes", "about 3.5 hours", "about 2 days"."""
    if seconds is None or seconds == "":
        return ""
    s = float(seconds)
    if s < 60:
        return "under a minute"
    if s < 5400:
        n = round(s / 60)
        return f"about {n} minute{'s' if n != 1 else ''}"
    if s < 172800:
        return f"about {s / 3600:.1f} hours".replace(".0 ", " ")
    return f"about {round(s / 86400)} days"


@register.filter
def per_hour(value) -> str:
    v = float(value or 0)
    return f"{v:,.0f}" if v >= 10 else f"{v:,.1f}".replace(".0", "")
