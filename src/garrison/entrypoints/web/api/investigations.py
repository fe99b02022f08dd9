"""The routers of search, saved queries and retroactive action (included by the app)."""

from __future__ import annotations

from garrison.entrypoints.web.api import retroactive, search

INVESTIGATION_ROUTERS = (search.router, retroactive.router)
