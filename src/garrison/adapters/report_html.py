"""The weekly operations report as one self-contained HTML file: inline CSS, inline SVG charts,
no script and nothing fetched, so it can be mailed or archived as it is."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from garrison.services.dashboards import Series, Table
from garrison.services.reports import WeeklyReport, overturn_table, queue_table

COLOURS = (
    "#2563eb",
    "#dc2626",
    "#16a34a",
    "#d97706",
    "#7c3aed",
    "#0891b2",
    "#db2777",
    "#65a30d",
    "#6b7280",
)
WIDTH, HEIGHT, PAD = 640, 200, 32
STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:60rem;color:#111}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5rem 0}td,th{padding:.2rem .6rem;border-bottom:1px solid
#eee;text-align:left}th{background:#f6f6f6}.legend span{margin-right:1rem}.muted{color:#666}
"""


def svg_lines(series: Series, title: str) -> str:
    """A line chart of each line of the series (inline SVG with a legend)."""
    lines = list(series.lines.items())
    top = max((max(values, default=0) for _, values in lines), default=0) or 1
    count = max(len(series.starts) - 1, 1)

    def point(i: int, v: int) -> str:
        x = PAD + i * (WIDTH - 2 * PAD) / count
        y = HEIGHT - PAD - v * (HEIGHT - 2 * PAD) / top
        return f"{x:.1f},{y:.1f}"

    paths = [
        f'<polyline fill="none" stroke="{COLOURS[n % len(COLOURS)]}" stroke-width="2" '
        f'points="{" ".join(point(i, v) for i, v in enumerate(values))}"/>'
        for n, (_, values) in enumerate(lines)
    ]
    first = series.starts[0].strftime("%m-%d") if series.starts else ""
    last = series.starts[-1].strftime("%m-%d") if series.starts else ""
    axis = (
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" '
        f'stroke="#999"/><text x="{PAD}" y="{HEIGHT - 8}" font-size="11">{first}</text>'
        f'<text x="{WIDTH - PAD - 30}" y="{HEIGHT - 8}" font-size="11">{last}</text>'
        f'<text x="4" y="{PAD}" font-size="11">{top}</text>'
    )
    legend = "".join(
        f'<span style="color:{COLOURS[n % len(COLOURS)]}">&#9632; {escape(name)}</span>'
        for n, (name, _) in enumerate(lines)
    )
    return (
        f'<figure><figcaption>{escape(title)}</figcaption><svg role="img" '
        f'aria-label="{escape(title)}" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}">{axis}{"".join(paths)}</svg>'
        f'<div class="legend">{legend}</div></figure>'
    )


def table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(cell))}</td>" for cell in row) + "</tr>" for row in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def _tables(report: WeeklyReport) -> list[tuple[str, Table | None]]:
    """Each section after the charts: its title and table (None: no appeals data)."""
    rules = Table(
        ("rule", "hits", "per event"), [(r.rule, r.hits, f"{r.rate:.4f}") for r in report.rules]
    )
    reviewers = Table(
        ("reviewer", "resolved", "median handling (min)"),
        [(t.reviewer, t.resolved, f"{t.median_handle_s / 60:.1f}") for t in report.reviewers],
    )
    appeals = overturn_table(report.appeals.rates) if report.appeals.available else None
    alerts = Table(
        ("segment", "kind", "started", "observed", "expected", "status"),
        [
            (
                a.segment,
                a.kind,
                f"{a.started_at:%Y-%m-%d %H:%M}",
                a.observed,
                f"{a.expected:.1f}",
                a.status,
            )
            for a in report.alerts
        ],
    )
    incidents = Table(
        ("id", "title", "severity", "status", "owner"),
        [(i.id, i.title, i.severity, i.status, i.owner) for i in report.incidents],
    )
    return [
        ("Rule hit rates", rules),
        ("Queue health", queue_table(list(report.queues))),
        ("Reviewer throughput", reviewers),
        ("Appeal overturn rates", appeals),
        ("Trend alerts", alerts),
        ("Incidents", incidents),
    ]


def _sections(report: WeeklyReport) -> list[str]:
    out = ["<h2>Volumes</h2>"]
    out += [svg_lines(s, f"Events per day by {s.dimension}") for s in report.volumes]
    for title, found in _tables(report):
        out.append(f"<h2>{escape(title)}</h2>")
        if found is None:
            out.append('<p class="muted">No appeals data in this installation.</p>')
        else:
            out.append(table(found.header, found.rows))
    return out


def render_weekly(report: WeeklyReport) -> str:
    """The report as a complete HTML document."""
    period = f"{report.since:%Y-%m-%d} to {report.until:%Y-%m-%d}"
    head = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Weekly operations report {period}</title><style>{STYLE}</style></head><body>"
        f"<h1>Weekly operations report</h1><p>{period} &middot; {report.events} events &middot; "
        f"generated {report.generated_at:%Y-%m-%d %H:%M} UTC</p>"
    )
    return head + "".join(_sections(report)) + "</body></html>"
