"""Clerk intake queue and actions, filing calendar, case numbers."""
