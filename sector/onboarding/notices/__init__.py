"""Notices to the courts of jurisdiction and the prosecutor: court readiness decisions and the prosecutor's
public acknowledgment link."""
