"""Extension points the platform offers to domain apps (registered in their AppConfig.ready).

The platform imports no domain app: domains add navigation entries, home-page panels and demo data here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


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


@dataclass
class Registry:
    nav: list[NavItem] = field(default_factory=list)
    home_panels: list[tuple[int, Callable]] = field(default_factory=list)
    demo_seeders: list[tuple[int, str, Callable]] = field(default_factory=list)

    def add_nav(self, item: NavItem) -> None:
        if all(existing.url_name != item.url_name for existing in self.nav):
            self.nav.append(item)
            self.nav.sort(key=lambda i: i.order)

    def add_home_panel(self, func: Callable, order: int = 100) -> None:
        """`func(request)` returns a dict with `template` and its context, or None when it has nothing to show."""
        if all(existing is not func for _, existing in self.home_panels):
            self.home_panels.append((order, func))
            self.home_panels.sort(key=lambda p: p[0])

    def add_demo_seeder(self, name: str, func: Callable, order: int = 100) -> None:
        """`func(*, stdout)` adds demo data; it must be idempotent (seed_demo may run twice). seed_demo runs it
        with mail muted (sector.core.mail.muted), so it calls services as they are and nobody is emailed."""
        if all(existing_name != name for _, existing_name, _ in self.demo_seeders):
            self.demo_seeders.append((order, name, func))
            self.demo_seeders.sort(key=lambda s: s[0])


registry = Registry()
