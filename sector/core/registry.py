"""One plug-in mechanism: named extension points that apps fill from their AppConfig.ready.

A lower layer declares an `ExtensionPoint` and iterates it; a higher layer registers into it. That is how
the platform shows domain apps' navigation, home panels and demo data, how the feed hands records to the
domain that registered a handler, how courts plugs its filing calendar into ticket ingest and how training
answers onboarding's questions, all without the lower layer importing the higher one.

Each registration has a key (by default the item itself) and an order. Registering a key again replaces
its entry, so a second `ready()` (Django may call it twice in some test setups) changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

DEFAULT_ORDER = 100


@dataclass(frozen=True)
class _Entry(Generic[T]):
    key: Hashable
    item: T
    order: int
    seq: int


class ExtensionPoint(Generic[T]):
    """A named list of plug-ins, kept sorted by `order` (ties: first registered first).

    `key` and `order` given to the constructor derive an item's key and order when `register` is called
    without them (e.g. a navigation entry is keyed by its URL name and ordered by its own `order`).
    """

    def __init__(
        self,
        name: str,
        *,
        key: Callable[[T], Hashable] | None = None,
        order: Callable[[T], int] | None = None,
    ) -> None:
        self.name = name
        self._key = key
        self._order = order
        self._entries: dict[Hashable, _Entry[T]] = {}
        self._seq = 0

    def __repr__(self) -> str:
        return f"<ExtensionPoint {self.name}: {len(self)} registered>"

    def register(self, item: T, *, key: Hashable | None = None, order: int | None = None) -> T:
        """Add `item` (or replace the entry with the same key); returns the item, so it works as a decorator."""
        if key is None:
            key = self._key(item) if self._key else item
        if order is None:
            order = self._order(item) if self._order else DEFAULT_ORDER
        previous = self._entries.get(key)
        if previous is None:
            self._seq += 1
        self._entries[key] = _Entry(key, item, order, previous.seq if previous else self._seq)
        return item

    def unregister(self, key: Hashable) -> None:
        self._entries.pop(key, None)

    def _sorted(self) -> list[_Entry[T]]:
        return sorted(self._entries.values(), key=lambda e: (e.order, e.seq))

    def __iter__(self) -> Iterator[T]:
        return iter([e.item for e in self._sorted()])

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __getitem__(self, key: Hashable) -> T:
        return self._entries[key].item

    def entries(self) -> list[tuple[Hashable, T]]:
        """(key, item) pairs in order."""
        return [(e.key, e.item) for e in self._sorted()]

    def keys(self) -> list[Hashable]:
        return [e.key for e in self._sorted()]

    def get(self, key: Hashable, default: T | None = None) -> T | None:
        entry = self._entries.get(key)
        return entry.item if entry is not None else default

    def first(self, default: T) -> T:
        """The first item in order, or `default` when nothing is registered (a single-provider slot)."""
        ordered = self._sorted()
        return ordered[0].item if ordered else default


# ---------------------------------------------------------------- the platform's own extension points


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    order: int = 100
    perms: tuple[str, ...] = ()  # any one of these grants the entry
    roles: tuple[str, ...] = ()  # or membership of any one of these roles
    staff_only: bool = False
    match_prefix: str = ""

    def visible_to(self, user, roles: frozenset[str]) -> bool:
        if not user.is_authenticated:
            return False
        if self.staff_only:
            return user.is_staff
        if not self.perms and not self.roles:
            return True
        return any(user.has_perm(p) for p in self.perms) or bool(roles & set(self.roles)) or user.is_superuser


nav_items: ExtensionPoint[NavItem] = ExtensionPoint(
    "core.nav_items", key=lambda item: item.url_name, order=lambda item: item.order
)
"""The role-aware navigation; an entry shows to users who pass `NavItem.visible_to`."""

HomePanel = Callable[..., dict | None]
home_panels: ExtensionPoint[HomePanel] = ExtensionPoint("core.home_panels")
"""`panel(request)` returns a dict with `template` and its context, or None when it has nothing to show."""

DemoSeeder = Callable[..., None]
demo_seeders: ExtensionPoint[DemoSeeder] = ExtensionPoint("core.demo_seeders")
"""`seeder(*, stdout)` adds demo data, keyed by a name `seed_demo` prints; it must be idempotent.
seed_demo runs it with mail muted (sector.core.mail.muted), so it calls services as they are and nobody is emailed."""
