"""Collision reports, validation rules, review queue, DOT/DOL transmission (the collision-review issue fills it)."""
