"""Typed identifiers. Ids are made outside the domain and passed in."""

from typing import NewType

EventId = NewType("EventId", str)
DecisionId = NewType("DecisionId", str)
ActionId = NewType("ActionId", str)
CaseId = NewType("CaseId", str)
LabelId = NewType("LabelId", str)
PrincipalId = NewType("PrincipalId", str)
DeliveryId = NewType("DeliveryId", str)
QueueName = NewType("QueueName", str)
ReportId = NewType("ReportId", str)
NoteId = NewType("NoteId", str)
AppealId = NewType("AppealId", str)
ApprovalId = NewType("ApprovalId", str)
