"""Incidents: declare from an alert, a case, a ring, a search or a cluster; run them to closure.

Every change is audited and commits with the incident. Declaring from a trend alert links the
alert and its search and marks the alert as escalated. A post-mortem action item with a rule
expression becomes a draft rule through the rules service (a new release proposal in which the
rule has `stage = "draft"`, so it never acts until someone promotes it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from garrison.domain import incidents as model
from garrison.domain.errors import InvalidInput, NotFound
from garrison.domain.incidents import (
    ActionItem,
    EntryKind,
    Incident,
    IncidentId,
    IncidentStatus,
    LinkKind,
    Severity,
    SourceKind,
)
from garrison.domain.trend_alerts import TrendAlertId, escalate
from garrison.services import audit
from garrison.services.ports import Clock, IdGenerator
from garrison.services.rules import RulesService
from garrison.services.unit_of_work import UnitOfWork, UnitOfWorkFactory

RULE_NAME = re.compile(r"^[a-z][a-z0-9_]{2,63}$")


def draft_rule_block(name: str, when: str, *, policy: str, description: str, owner: str) -> str:
    """A `[[rule]]` block at stage draft (it is evaluated nowhere until promoted)."""
    if not RULE_NAME.match(name):
        raise InvalidInput("rule names are 3-64 lowercase letters, digits or _", field="name")
    if "'''" in when or not when.strip():
        raise InvalidInput("the rule expression is empty or contains '''", field="rule_text")
    lines = [
        "[[rule]]",
        f"name = {json.dumps(name)}",
        f"description = {json.dumps(description[:200] or name)}",
        f"owner = {json.dumps(owner or 'trust-and-safety')}",
        f"policy = {json.dumps(policy)}",
        'stage = "draft"',
        'verdict = "review"',
        "score = 0.3",
        f"when = '''\n{when.strip()}\n'''",
    ]
    return "\n".join(lines) + "\n"


class IncidentService:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        ids: IdGenerator,
        rules: RulesService,
        *,
        readers: UnitOfWorkFactory | None = None,
    ) -> None:
        self._uow = uow_factory
        self._readers = readers or uow_factory
        self._clock = clock
        self._ids = ids
        self._rules = rules

    def declare(
        self,
        *,
        title: str,
        severity: Severity,
        source: SourceKind,
        source_ref: str = "",
        summary: str = "",
        owner: str = "",
        actor: str,
    ) -> Incident:
        """Declare an incident; from an alert, link it (and its search) and escalate it."""
        now = self._clock.now()
        incident_id = IncidentId(self._ids.new("inc"))
        with self._uow() as uow:
            incident = model.declare(
                incident_id,
                title=title,
                severity=severity,
                owner=owner,
                source=source,
                source_ref=source_ref,
                summary=summary,
                at=now,
                by=actor,
            )
            incident = self._link_source(uow, incident, source, source_ref, actor)
            uow.incidents.add(incident)
            self._audit(uow, actor, "incident.declare", incident, severity=str(severity))
            uow.commit()
        return incident

    def _link_source(
        self, uow: UnitOfWork, incident: Incident, source: SourceKind, ref: str, actor: str
    ) -> Incident:
        now = self._clock.now()
        if source is SourceKind.ALERT:
            alert = uow.trend_alerts.get(TrendAlertId(ref))
            if alert is None:
                raise NotFound(f"no trend alert {ref}", field="source_ref")
            uow.trend_alerts.save(escalate(alert, incident.id))
            incident = model.link(incident, LinkKind.ALERT, ref, at=now, by=actor)
            return model.link(
                incident, LinkKind.QUERY, alert.search_url, at=now, by=actor, note=alert.segment
            )
        kinds = {SourceKind.CASE: LinkKind.CASE, SourceKind.RING: LinkKind.RING}
        kinds[SourceKind.SEARCH] = LinkKind.QUERY
        if source in kinds and ref:
            return model.link(incident, kinds[source], ref, at=now, by=actor)
        return incident

    def get(self, incident_id: IncidentId) -> Incident:
        with self._readers() as uow:
            found = uow.incidents.get(incident_id)
        if found is None:
            raise NotFound(f"no incident {incident_id}", field="incident_id")
        return found

    def list(self, *, status: IncidentStatus | None = None, limit: int = 100) -> list[Incident]:
        with self._readers() as uow:
            return uow.incidents.list(status=status, limit=limit)

    def post(self, incident_id: IncidentId, kind: EntryKind, text: str, *, actor: str) -> Incident:
        return self._change(
            incident_id,
            actor,
            "incident.post",
            lambda i: model.post(i, kind, text, at=self._clock.now(), by=actor),
        )

    def move(
        self, incident_id: IncidentId, to: IncidentStatus, *, actor: str, note: str = ""
    ) -> Incident:
        return self._change(
            incident_id,
            actor,
            "incident.status",
            lambda i: model.move(i, to, at=self._clock.now(), by=actor, note=note),
        )

    def link(
        self, incident_id: IncidentId, kind: LinkKind, ref: str, *, actor: str, note: str = ""
    ) -> Incident:
        return self._change(
            incident_id,
            actor,
            "incident.link",
            lambda i: model.link(i, kind, ref, at=self._clock.now(), by=actor, note=note),
        )

    def assign(self, incident_id: IncidentId, owner: str, *, actor: str) -> Incident:
        return self._change(
            incident_id,
            actor,
            "incident.assign",
            lambda i: model.assign(i, owner, at=self._clock.now(), by=actor),
        )

    def communicate(
        self, incident_id: IncidentId, *, audience: str, channel: str, message: str, actor: str
    ) -> Incident:
        return self._change(
            incident_id,
            actor,
            "incident.communicate",
            lambda i: model.communicate(
                i,
                audience=audience,
                channel=channel,
                message=message,
                at=self._clock.now(),
                by=actor,
            ),
        )

    def postmortem(
        self,
        incident_id: IncidentId,
        *,
        summary: str,
        root_cause: str,
        impact: str,
        action_items: tuple[ActionItem, ...],
        actor: str,
    ) -> Incident:
        return self._change(
            incident_id,
            actor,
            "incident.postmortem",
            lambda i: model.write_postmortem(
                i,
                summary=summary,
                root_cause=root_cause,
                impact=impact,
                action_items=action_items,
                at=self._clock.now(),
                by=actor,
            ),
        )

    def draft_rule(
        self, incident_id: IncidentId, item: int, *, name: str, policy: str, actor: str
    ) -> tuple[Incident, int]:
        """Make action item `item` (0-based) a draft rule; the incident and the release version."""
        incident = self.get(incident_id)
        pm = incident.postmortem
        if pm is None or not 0 <= item < len(pm.action_items):
            raise InvalidInput("no such action item", field="item")
        action = pm.action_items[item]
        block = draft_rule_block(
            name, action.rule_text, policy=policy, description=action.text, owner=action.owner
        )
        text = self._rules.release().text.rstrip() + "\n\n" + block
        notes = f"draft rule {name} from incident {incident_id}"
        release = self._rules.propose(text, actor=actor, notes=notes)
        updated = self._change(
            incident_id,
            actor,
            "incident.draft_rule",
            lambda i: model.mark_drafted(i, item, name, at=self._clock.now(), by=actor),
        )
        return updated, release.version

    def _change(
        self,
        incident_id: IncidentId,
        actor: str,
        action: str,
        change: Callable[[Incident], Incident],
    ) -> Incident:
        with self._uow() as uow:
            found = uow.incidents.get(incident_id)
            if found is None:
                raise NotFound(f"no incident {incident_id}", field="incident_id")
            updated = change(found)
            uow.incidents.save(updated)
            self._audit(uow, actor, action, updated)
            uow.commit()
        return updated

    def _audit(
        self, uow: UnitOfWork, actor: str, action: str, incident: Incident, **more: str
    ) -> None:
        details = {"status": str(incident.status), **more}
        audit.record(
            uow,
            self._clock,
            actor=actor,
            action=action,
            target=f"incident:{incident.id}",
            details=details,
        )
