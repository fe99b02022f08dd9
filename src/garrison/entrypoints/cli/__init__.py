"""The `garrison` command line: operate a deployment (migrate, serve, worker, keys, users, audit,
webhooks) and run the one-command demo. The Typer app lives in `main`."""
