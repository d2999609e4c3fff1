"""The files `seed_demo` itself wrote, so a later seed into a fresh database may clear them (issue 16 loose end).

Write-once storage (sector.core.storage.save_once) refuses a name that is already stored. The demo's executed
agreements are stored under names made from the agreement's id, so seeding a fresh database while the media
store still holds an earlier seed's files collides. The seed records each file it writes (name and SHA-256) in a
manifest kept in the same store; before writing again it deletes a colliding file only when the manifest says
the seed wrote it and its bytes are still exactly what was written. Any other file is left alone (and the
write-once refusal stands).
"""

from __future__ import annotations

import hashlib
import json

from django.core.files.base import ContentFile
from django.core.files.storage import Storage

MANIFEST = "demo/seed_demo_files.json"


def _read(storage: Storage) -> dict[str, str]:
    if not storage.exists(MANIFEST):
        return {}
    try:
        with storage.open(MANIFEST, "rb") as handle:
            data = json.loads(handle.read() or b"{}")
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _write(storage: Storage, manifest: dict[str, str]) -> None:
    if storage.exists(MANIFEST):
        storage.delete(MANIFEST)
    storage.save(MANIFEST, ContentFile(json.dumps(manifest, indent=1, sort_keys=True).encode()))


def demo_file_recorded(storage: Storage, name: str, sha256: str) -> None:
    """Note that the seed wrote `name` with these bytes."""
    manifest = _read(storage)
    manifest[name] = sha256
    _write(storage, manifest)


def demo_file_cleared(storage: Storage, name: str) -> bool:
    """Delete `name` if an earlier seed wrote it and it is unchanged; True when the name is free now."""
    if not storage.exists(name):
        return True
    manifest = _read(storage)
    recorded = manifest.get(name)
    if recorded is None:
        return False
    try:
        with storage.open(name, "rb") as handle:
            actual = hashlib.sha256(handle.read()).hexdigest()
    except OSError:
        return False
    if actual != recorded:
        return False
    storage.delete(name)
    del manifest[name]
    _write(storage, manifest)
    return True
