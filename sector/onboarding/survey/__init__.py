"""The Technical Assessment Survey: the draft, the computer inventory (by hand or spreadsheet), submitting it,
and its evaluation against the requirement profile."""
