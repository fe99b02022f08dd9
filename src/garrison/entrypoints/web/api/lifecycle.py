"""The routers of the rules lifecycle: releases, rules, snoozes and alerts."""

from __future__ import annotations

from fastapi import APIRouter

from garrison.entrypoints.web.api import alerts, releases, rules, snoozes

LIFECYCLE_ROUTERS: tuple[APIRouter, ...] = (
    releases.router,
    rules.router,
    snoozes.router,
    alerts.router,
)
