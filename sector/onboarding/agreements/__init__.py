"""Agreements: WSP prepares one from a versioned template, the agency signs it (in the portal or by upload),
WSP countersigns; the PDFs."""
