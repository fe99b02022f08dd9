"""The web server: REST API under /v1, the analyst console, and operational endpoints."""
