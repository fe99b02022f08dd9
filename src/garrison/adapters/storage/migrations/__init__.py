"""Alembic migrations for the SQL store; run them with `garrison.adapters.storage.sql.migrate`."""
