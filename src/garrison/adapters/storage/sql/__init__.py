"""SQL storage (SQLite by default, PostgreSQL) behind the storage port.

migrate("sqlite:///var/garrison.db")
store = SqlStore("sqlite:///var/garrison.db")
with store.uow() as uow:
    ...
    uow.commit()
"""

from garrison.adapters.storage.sql.migrate import current_revision, head_revision, migrate
from garrison.adapters.storage.sql.uow import SqlStore, SqlUnitOfWork

__all__ = ["SqlStore", "SqlUnitOfWork", "current_revision", "head_revision", "migrate"]
