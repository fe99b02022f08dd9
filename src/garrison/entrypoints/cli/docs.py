"""Generate docs/reference/cli.md from the Typer app, so the reference never drifts from the code.

    python -m garrison.entrypoints.cli.docs           # rewrite the file
    python -m garrison.entrypoints.cli.docs --check   # exit 1 if the file is stale

`make docs` runs the first; a test runs the second.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import typer
from typer.main import get_command

from garrison.entrypoints.cli.main import app

REFERENCE = Path("docs/reference/cli.md")
PROGRAM = "garrison"
HEADER = (
    "# Command-line reference\n\n"
    "<!-- Generated from the Typer app by `make docs` "
    "(python -m garrison.entrypoints.cli.docs); do not edit by hand. -->\n\n"
    "Every command reads its settings from `GARRISON_` environment variables "
    "(see [settings](settings.md)). An expected failure prints one line starting with "
    "`error:` on stderr and exits non-zero.\n\n"
)


def _params(command: Any, ctx: typer.Context, kind: str) -> list[str]:
    """Bullet lines for the command's arguments or options (`--help` left out)."""
    lines = []
    for param in command.get_params(ctx):
        record = param.get_help_record(ctx)
        if record is None or param.param_type_name != kind or param.name == "help":
            continue
        name, help_text = record
        lines.append(f"* `{name}`" + (f": {' '.join(help_text.split())}" if help_text else ""))
    return lines


def _section(command: Any, path: str, depth: int) -> list[str]:
    ctx = typer.Context(command, info_name=path.rsplit(" ", 1)[-1])
    out = [f"{'#' * depth} `{path}`", ""]
    if command.help:
        out += [command.help.strip(), ""]
    usage = " ".join(command.collect_usage_pieces(ctx))
    out += ["```console", f"$ {path} {usage}".rstrip(), "```", ""]
    for title, kind in (("Arguments", "argument"), ("Options", "option")):
        lines = _params(command, ctx, kind)
        if lines:
            out += [f"**{title}**:", "", *lines, ""]
    return out


def _walk(command: Any, path: str, depth: int) -> list[str]:
    out = _section(command, path, depth)
    commands: dict[str, Any] = getattr(command, "commands", {})
    for name, sub in commands.items():
        if not sub.hidden:
            out += _walk(sub, f"{path} {name}", depth + 1)
    return out


def render() -> str:
    """The whole reference as Markdown."""
    body = "\n".join(_walk(get_command(app), PROGRAM, 2)).rstrip()
    return HEADER + body + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write or check the CLI reference.")
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is stale")
    parser.add_argument("--output", type=Path, default=REFERENCE)
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = args.output.read_text() if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is stale: run `make docs`", file=sys.stderr)
            return 1
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
