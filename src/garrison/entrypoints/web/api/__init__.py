"""The REST API under /v1: one router per resource; handlers parse, call a service, render."""
