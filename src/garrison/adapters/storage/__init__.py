"""Storage adapters: in-memory (reference and test fake), SQLite and PostgreSQL."""
