"""Generated documents rendered once per record version and then served from storage (issue 15, item 4).

`stored_pdf` is what every PDF view calls *after* its permission checks: it looks the document up by its key,
the SHA-256 of (template, record, version parts, variant, template revision), and returns the stored bytes when
they are there and still match their recorded SHA-256; otherwise it renders (sector.core.pdf.render_pdf),
stores the file in the default storage (local files, S3 in production), then records the row. So:

- a record's next version or status is a new key (the caller's `version` parts say what changes the print);
  so is a template edit or a change of the renderer (`template_revision` hashes the template's folder and the
  render settings). The rows (and files) of the record's older versions are pruned when a new one is stored.
- two requests at once may both render (at most once each); the first row written wins, the other request
  serves its own complete rendering and removes its now-unreferenced file. A row points only at a file that
  was completely written, and bytes are checked against the row's SHA-256 before they are served, so a
  partial or altered file is never served: it is rendered again.
- `variant` separates renderings of one version that differ by who asks (e.g. a whole or masked license
  number), so the same key never serves one person's view to another.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from collections import OrderedDict
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, models, transaction
from django.template.loader import get_template
from django.utils import timezone

from . import pdf as pdf_module
from .models import RenderedDocument

logger = logging.getLogger(__name__)

STORE_FOLDER = "rendered"
# Bump to re-render every stored document (e.g. after a change of sector.core.pdf itself).
RENDER_REVISION = "1"


@lru_cache(maxsize=64)
def template_revision(template_name: str) -> str:
    """A short hash of the template's folder (its includes live beside it), the shared PDF stylesheets
    (static/css/pdf*.css) and the render settings."""
    h = hashlib.sha256(f"{RENDER_REVISION}|{pdf_module.PDF_VARIANT}|{pdf_module.LANGUAGE}".encode())
    try:
        import weasyprint

        h.update(weasyprint.__version__.encode())
    except ImportError:  # pragma: no cover - WeasyPrint is a dependency
        pass
    for path in sorted(pdf_module.static_dir().glob("css/pdf*.css")):  # the shared PDF stylesheets
        h.update(path.read_bytes())
    origin = getattr(get_template(template_name), "origin", None)
    folder = Path(origin.name).parent if origin is not None and origin.name else None
    if folder is not None and folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.is_file():
                h.update(path.name.encode())
                h.update(path.read_bytes())
    return h.hexdigest()[:16]


def record_label(record: models.Model) -> str:
    return f"{record._meta.label_lower}:{record.pk}"


def stamp(value: object) -> str:
    """One part of a version: datetimes to the microsecond, None as "-", everything else as str()."""
    if value is None:
        return "-"
    isoformat = getattr(value, "isoformat", None)
    return isoformat() if callable(isoformat) else str(value)


def document_key(template_name: str, record: models.Model, version: Iterable[object], variant: str = "") -> tuple:
    """(key, record label, version text) of a document; the key is what the store is looked up by."""
    label = record_label(record)
    version_text = "|".join(stamp(v) for v in version) + f"|rev={template_revision(template_name)}"
    raw = f"{template_name}\n{label}\n{version_text}\n{variant}"
    return hashlib.sha256(raw.encode()).hexdigest(), label, version_text


# key -> (storage name, SHA-256) of documents this process has stored or served: a key's row never changes
# (a new version is a new key), so the second request for a document reads the file without the row lookup.
# A pruned or altered file fails the read and the check, and the row is looked up (or rendered) again.
_KNOWN: OrderedDict[str, RenderedDocument] = OrderedDict()
_KNOWN_MAX = 2048


def _remember(key: str, row: RenderedDocument) -> None:
    _KNOWN[key] = RenderedDocument(name=row.name, sha256=row.sha256)
    _KNOWN.move_to_end(key)
    while len(_KNOWN) > _KNOWN_MAX:
        _KNOWN.popitem(last=False)


def _read(row: RenderedDocument) -> bytes | None:
    try:
        with default_storage.open(row.name, "rb") as handle:
            data = handle.read()
    except OSError:
        logger.warning("Stored document %s is missing from the file store; rendering it again.", row.name)
        return None
    if hashlib.sha256(data).hexdigest() != row.sha256:
        logger.warning("Stored document %s does not match its SHA-256; rendering it again.", row.name)
        return None
    return data


def _delete_files(names: list[str]) -> None:
    for name in names:
        with contextlib.suppress(OSError):  # a file already gone is what we wanted
            default_storage.delete(name)


def stored_pdf(
    template_name: str,
    *,
    record: models.Model,
    version: Iterable[object],
    context: Callable[[], dict],
    variant: str = "",
) -> bytes:
    """The PDF of `template_name` for `record` at `version`: from storage when rendered before, else rendered
    (with `context()`, called only then) and stored. Call it after the permission checks."""
    key, label, version_text = document_key(template_name, record, version, variant)
    known = _KNOWN.get(key)  # this process stored or served it before: the row says the same (a key's row is
    if known is not None:  # written once), so skip the lookup; the bytes are still read and checked
        data = _read(known)
        if data is not None:
            return data
        _KNOWN.pop(key, None)
    row = RenderedDocument.objects.filter(key=key).only("name", "sha256").first()
    if row is not None:
        data = _read(row)
        if data is not None:
            _remember(key, row)
            return data
        RenderedDocument.objects.filter(pk=row.pk).delete()  # unusable: render and store it anew
    pdf = pdf_module.render_pdf(template_name, context())
    sha = hashlib.sha256(pdf).hexdigest()
    name = default_storage.save(f"{STORE_FOLDER}/{key[:2]}/{key}-{sha[:16]}.pdf", ContentFile(pdf))
    try:
        with transaction.atomic():
            RenderedDocument.objects.create(
                key=key, template=template_name, record=label, version=version_text, name=name, sha256=sha,
                size=len(pdf), created_at=timezone.now(),
            )  # fmt: skip
    except IntegrityError:  # another request stored this key first: ours is complete too, serve it
        _delete_files([name])
        return pdf
    _remember(key, RenderedDocument(name=name, sha256=sha))
    _prune(template_name, label, version_text)
    return pdf


def _prune(template_name: str, label: str, version_text: str) -> None:
    """Remove the rows and files of the record's other versions of this document (never served again)."""
    old = RenderedDocument.objects.filter(template=template_name, record=label).exclude(version=version_text)
    names = list(old.values_list("name", flat=True))
    if names:
        old.delete()
        transaction.on_commit(lambda: _delete_files(names))
