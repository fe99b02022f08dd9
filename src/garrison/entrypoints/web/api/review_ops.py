"""Review-operations routes beyond the case basics: case work, user reports, reporters, routing."""

from __future__ import annotations

from fastapi import APIRouter

from garrison.entrypoints.web.api import bulk, case_work, routing, user_reports

router = APIRouter()
router.include_router(bulk.router)
router.include_router(case_work.router)
router.include_router(user_reports.router)
router.include_router(routing.router)
