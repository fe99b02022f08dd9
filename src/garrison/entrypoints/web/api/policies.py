"""Policies, playbooks, notices and the DSA transparency export.

Anyone who may read cases reads policies and playbooks; MANAGE_POLICIES publishes new versions
(never an edit in place); reviewers issue notices; EXPORT_TRANSPARENCY exports statements of
reasons in the EU DSA Transparency Database's submission format.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import PlainTextResponse

from garrison.domain.access import Permission, Principal
from garrison.domain.ids import ActionId
from garrison.domain.playbooks import PlaybookKey
from garrison.entrypoints.web.api import wellness
from garrison.entrypoints.web.api.deps import ContainerDep
from garrison.entrypoints.web.auth import CaseReader, Reviewer, require
from garrison.entrypoints.web.schemas.errors import error_responses
from garrison.entrypoints.web.schemas.policies import (
    DiffOut,
    DsaExportOut,
    MappingIn,
    MappingOut,
    NoticeIn,
    NoticeOut,
    PlaybookIn,
    PlaybookListOut,
    PlaybookOut,
    TaxonomyDiffOut,
    TaxonomyIn,
    TaxonomyListOut,
    TaxonomyOut,
    TaxonomySummaryOut,
    diff_wire,
    notice_wire,
    playbook_wire,
    summary_wire,
    taxonomy_wire,
)

PolicyEditor = Annotated[Principal, require(Permission.MANAGE_POLICIES)]
Exporter = Annotated[Principal, require(Permission.EXPORT_TRANSPARENCY)]
Version = Annotated[int | None, Query(ge=1)]

router = APIRouter(tags=["policies"])


@router.get("/v1/policies", response_model=TaxonomyOut, responses=error_responses(401, 403, 404))
def read_taxonomy(principal: CaseReader, container: ContainerDep, version: Version = None) -> Any:
    """The newest taxonomy version, or the one asked for."""
    return taxonomy_wire(container.policies.taxonomy(principal, version))


@router.get(
    "/v1/policies/text", response_class=PlainTextResponse, responses=error_responses(401, 403, 404)
)
def read_taxonomy_text(
    principal: CaseReader, container: ContainerDep, version: Version = None
) -> PlainTextResponse:
    """The canonical TOML text, to edit and publish as the next version."""
    text = container.policies.taxonomy(principal, version).text
    return PlainTextResponse(text, media_type="application/toml")


@router.get(
    "/v1/policies/versions", response_model=TaxonomyListOut, responses=error_responses(401, 403)
)
def list_versions(principal: CaseReader, container: ContainerDep) -> Any:
    """Every version, newest first."""
    return {"versions": [summary_wire(t) for t in container.policies.versions(principal)]}


@router.post(
    "/v1/policies",
    status_code=201,
    response_model=TaxonomySummaryOut,
    responses=error_responses(401, 403, 409, 422),
)
def publish(body: TaxonomyIn, principal: PolicyEditor, container: ContainerDep) -> Any:
    """Publish the text as the next version (versions are immutable)."""
    made = container.policies.publish(principal, body.text, body.note, base=body.base)
    return summary_wire(made)


@router.get(
    "/v1/policies/diff",
    response_model=TaxonomyDiffOut,
    responses=error_responses(401, 403, 404, 422),
)
def diff(
    principal: CaseReader,
    container: ContainerDep,
    old: Annotated[int, Query(ge=1)],
    new: Annotated[int, Query(ge=1)],
) -> Any:
    return diff_wire(container.policies.diff(principal, old, new))


@router.post(
    "/v1/policies/moderation-map",
    response_model=MappingOut,
    responses=error_responses(401, 403, 404, 422),
)
def moderation_map(body: MappingIn, principal: CaseReader, container: ContainerDep) -> Any:
    """Moderation classifier scores as policy scores (each policy takes its strongest head)."""
    mapped = container.policies.map_moderation(principal, body.scores, body.version)
    return {"version": body.version, "policies": mapped}


@router.get("/v1/playbooks", response_model=PlaybookListOut, responses=error_responses(401, 403))
def list_playbooks(principal: CaseReader, container: ContainerDep) -> Any:
    """The newest version of every playbook."""
    return {"playbooks": [playbook_wire(p) for p in container.policies.playbooks(principal)]}


@router.get(
    "/v1/playbooks/{key}", response_model=PlaybookOut, responses=error_responses(401, 403, 404, 422)
)
def read_playbook(
    key: str, principal: CaseReader, container: ContainerDep, version: Version = None
) -> Any:
    """`key` is `policy:<id>` or `queue:<name>`."""
    found = container.policies.playbook(principal, PlaybookKey.parse(key), version)
    return playbook_wire(found)


@router.get(
    "/v1/playbooks/{key}/history",
    response_model=PlaybookListOut,
    responses=error_responses(401, 403, 404, 422),
)
def playbook_history(key: str, principal: CaseReader, container: ContainerDep) -> Any:
    history = container.policies.history(principal, PlaybookKey.parse(key))
    return {"playbooks": [playbook_wire(p) for p in history]}


@router.put(
    "/v1/playbooks/{key}", response_model=PlaybookOut, responses=error_responses(401, 403, 409, 422)
)
def save_playbook(
    key: str, body: PlaybookIn, principal: PolicyEditor, container: ContainerDep
) -> Any:
    """Store the text as the playbook's next version."""
    saved = container.policies.save_playbook(principal, PlaybookKey.parse(key), body.text)
    return playbook_wire(saved)


@router.get(
    "/v1/playbooks/{key}/diff",
    response_model=DiffOut,
    responses=error_responses(401, 403, 404, 422),
)
def playbook_diff(
    key: str,
    principal: CaseReader,
    container: ContainerDep,
    old: Annotated[int, Query(ge=1)],
    new: Annotated[int, Query(ge=1)],
) -> Any:
    lines = container.policies.playbook_diff(principal, PlaybookKey.parse(key), old, new)
    return {"lines": list(lines)}


@router.post(
    "/v1/notices",
    status_code=201,
    response_model=NoticeOut,
    responses=error_responses(401, 403, 404, 422),
)
def issue_notice(body: NoticeIn, principal: Reviewer, container: ContainerDep) -> Any:
    """Render the notice of an action with its statement of reasons (once per action)."""
    notice = container.transparency.issue(
        principal,
        ActionId(body.action_id),
        facts=body.facts,
        policy=body.policy,
        reported=body.reported,
    )
    return notice_wire(notice)


@router.get(
    "/v1/notices/{notice_id}", response_model=NoticeOut, responses=error_responses(401, 403, 404)
)
def read_notice(notice_id: str, principal: CaseReader, container: ContainerDep) -> Any:
    return notice_wire(container.transparency.notice(principal, notice_id))


@router.get(
    "/v1/transparency/dsa", response_model=DsaExportOut, responses=error_responses(401, 403, 422)
)
def dsa_export(
    principal: Exporter,
    container: ContainerDep,
    since: datetime,
    until: datetime | None = None,
) -> Any:
    """Statements of reasons of the notices issued in [since, until), in the DSA Transparency
    Database's submission format (each validates against the schema shipped in the package)."""
    export = container.transparency.dsa_export(
        principal, _aware(since), _aware(until) if until else None
    )
    return {"statements": list(export.statements), "skipped": export.skipped}


def _aware(at: datetime) -> datetime:
    """A time without a zone is UTC."""
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


POLICY_ROUTERS = (router, wellness.router)
"""What the app includes: policies, playbooks, notices, transparency, and reviewer wellness."""
