"""Tickets: model, validation, routing, agency-side status, number accountability."""
