"""The seven-step checklist per agency: starting it, completing steps (by hand or by a step's own workflow),
going live, the pipeline and the agency page."""
