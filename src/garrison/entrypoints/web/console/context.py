"""What every console route module is built from: the container, page rendering and the gate."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter
from fastapi.routing import APIRoute

from garrison.bootstrap import Container
from garrison.entrypoints.web.console.pages import Pages
from garrison.entrypoints.web.console.viewer import Gate


@dataclass(frozen=True, slots=True)
class Console:
    container: Container
    pages: Pages
    gate: Gate
    route_class: type[APIRoute]

    def router(self) -> APIRouter:
        """A router whose routes answer in HTML, failures included."""
        return APIRouter(route_class=self.route_class, include_in_schema=False)
