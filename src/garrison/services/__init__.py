"""Use cases, and the small ports (Protocols) they need from the outside world."""
