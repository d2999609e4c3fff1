"""Audit action names are dotted and in the past tense (`courts.ticket.accepted`), wherever they are written."""

import ast
import pathlib
import re

from courts.services import AUDIT_ACTIONS

ROOT = pathlib.Path(__file__).resolve().parents[2]
APP_DIRS = ["sector", "citations", "courts", "collisions"]
IRREGULAR = {"went", "sent", "read", "held"}
NAME = re.compile(r"^[a-z_]+\.[a-z_]+\.[a-z_]+$")


def _past(name: str) -> bool:
    words = name.rsplit(".", 1)[-1].split("_")
    return any(w in IRREGULAR or w.endswith("ed") for w in words)


def _logged_names() -> list[tuple[str, str]]:
    """The literal first argument of every log_action(...) call in app code (f-strings are checked elsewhere)."""
    found = []
    for d in APP_DIRS:
        for path in (ROOT / d).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if not (isinstance(node, ast.Call) and node.args):
                    continue
                func = node.func
                fname = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                if fname != "log_action":
                    continue
                arg = node.args[0]
                values = [arg] if not isinstance(arg, ast.IfExp) else [arg.body, arg.orelse]
                for v in values:
                    if isinstance(v, ast.Constant) and isinstance(v.value, str):
                        found.append((f"{path.relative_to(ROOT)}:{node.lineno}", v.value))
    return found


def test_the_scan_finds_the_log_calls():
    assert len(_logged_names()) > 40


def test_every_literal_audit_name_is_dotted_and_past_tense():
    bad = [(where, name) for where, name in _logged_names() if not (NAME.match(name) and _past(name))]
    assert bad == []


def test_ticket_actions_are_logged_in_the_past_tense():
    assert AUDIT_ACTIONS["accept"] == "courts.ticket.accepted"
    assert all(NAME.match(n) and _past(n) for n in AUDIT_ACTIONS.values())


def test_the_past_tense_check_refuses_a_present_tense_name():
    assert not _past("courts.ticket.accept")
    assert _past("onboarding.step.complete_refused")
