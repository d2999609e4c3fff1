"""Requirement profile versions in the portal: WSP drafts a new version from the current one, edits it,
previews how the surveys in progress would evaluate against it, and publishes it."""
