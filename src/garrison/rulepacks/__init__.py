"""Rule packs shipped with Garrison (read them with `importlib.resources`, e.g. `starter.toml`)."""
