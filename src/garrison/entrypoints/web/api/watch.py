"""The routers of trends, incidents and dashboards (included together by the app)."""

from __future__ import annotations

from garrison.entrypoints.web.api.dashboards import router as dashboards
from garrison.entrypoints.web.api.incidents import router as incidents
from garrison.entrypoints.web.api.trends import router as trends

WATCH_ROUTERS = (trends, incidents, dashboards)
