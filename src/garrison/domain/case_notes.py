"""What reviewers add to a case: comments and evidence (a small file or a URL, with its sha256).

The timeline of a case is assembled from these, its reports, its decisions and the audit log.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime

from garrison.domain.errors import InvalidInput
from garrison.domain.ids import CaseId, NoteId

MAX_COMMENT = 10_000
MAX_NAME = 200
URL = re.compile(r"^https?://[^\s]{1,2000}$")


@dataclass(frozen=True, slots=True)
class Comment:
    id: NoteId
    case_id: CaseId
    author: str
    text: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Evidence:
    """A file kept in the database (`content`) or a link (`url`); `sha256` of the file, or of
    the URL's text for a link."""

    id: NoteId
    case_id: CaseId
    name: str
    media_type: str
    size: int
    sha256: str
    added_by: str
    at: datetime
    url: str | None = None
    content: bytes | None = None


def comment(note_id: NoteId, case_id: CaseId, author: str, text: str, at: datetime) -> Comment:
    if not text.strip() or len(text) > MAX_COMMENT:
        raise InvalidInput(f"a comment has 1 to {MAX_COMMENT} characters", field="text")
    return Comment(note_id, case_id, author, text.strip(), at)


def file_evidence(
    note_id: NoteId,
    case_id: CaseId,
    *,
    name: str,
    media_type: str,
    content: bytes,
    added_by: str,
    at: datetime,
    max_bytes: int,
) -> Evidence:
    _check_name(name)
    if not content:
        raise InvalidInput("the file is empty", field="content")
    if len(content) > max_bytes:
        raise InvalidInput(f"the file is larger than {max_bytes} bytes", field="content")
    digest = hashlib.sha256(content).hexdigest()
    return Evidence(
        note_id, case_id, name, media_type, len(content), digest, added_by, at, content=content
    )


def link_evidence(
    note_id: NoteId, case_id: CaseId, *, name: str, url: str, added_by: str, at: datetime
) -> Evidence:
    _check_name(name)
    if not URL.match(url):
        raise InvalidInput("evidence links are http(s) URLs", field="url")
    digest = hashlib.sha256(url.encode()).hexdigest()
    return Evidence(
        note_id, case_id, name, "text/uri-list", len(url), digest, added_by, at, url=url
    )


def _check_name(name: str) -> None:
    if not name.strip() or len(name) > MAX_NAME or "/" in name:
        raise InvalidInput(f"a name has 1 to {MAX_NAME} characters and no '/'", field="name")
