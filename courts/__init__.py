"""Clerk intake queue and actions, filing calendar, case numbers (the feed and court-intake issue fills it)."""
