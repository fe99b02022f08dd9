"""The enforcement routers (ledger, approvals, appeals), included by the app together."""

from __future__ import annotations

from garrison.entrypoints.web.api import actions, appeals, approvals

ENFORCEMENT_ROUTERS = (actions.router, approvals.router, appeals.router)
