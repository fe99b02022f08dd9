"""Real technology behind the ports: storage, webhooks, passwords, clock, ids, telemetry."""
