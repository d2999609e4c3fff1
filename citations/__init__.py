"""Tickets: model, validation, routing, agency-side status, number accountability (the feed issue fills it)."""
