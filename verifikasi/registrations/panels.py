"""Panels that later steps add to the staff's registration page.

The registration page belongs to this app, but what it shows about the date,
the call and the certificate belongs to the apps above it. Each of them
registers a panel here (in its ``AppConfig.ready``): a template and a function
that builds its context. This app never imports them.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    context: Callable  # (request, registration) -> dict, or None to leave the panel out
    order: int


PANELS: dict[str, Panel] = {}


def panel(name: str, *, template: str, order: int) -> Callable:
    """Register ``func(request, registration) -> dict | None`` as a page panel."""
    def register(func):
        PANELS[name] = Panel(name, template, func, order)
        return func
    return register


def panels_for(request, registration) -> list[dict]:
    """The panels to show, in order, each with its template and context."""
    shown = []
    for p in sorted(PANELS.values(), key=lambda p: p.order):
        context = p.context(request, registration)
        if context is not None:
            shown.append({"name": p.name, "template": p.template, "context": context})
    return shown


LINKS: list[Callable] = []


def links(func: Callable) -> Callable:
    """Register ``func(request, registration) -> [{"url", "label", "secondary"}]``: buttons
    at the top of the page leading to a later step's own screen."""
    if func not in LINKS:
        LINKS.append(func)
    return func


def links_for(request, registration) -> list[dict]:
    return [link for func in LINKS for link in func(request, registration)]
