"""The ways in: the web server (REST API and console), the CLI and the worker."""
