"""Collision reports, validation rules, review queue, DOT/DOL transmission."""
