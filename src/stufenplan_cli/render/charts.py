"""SVG charts as plain strings: deterministic, self-contained, and legible in black-and-white print.

Every text a chart shows (titles, legends, labels) is passed in by the caller (the templates), so the
wording stays in ``report_templates/``; this module only knows geometry. All text is XML-escaped.
Coordinates are rounded to one decimal so that the same input gives byte-identical output.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from stufenplan_cli.render import german

Label = str
ValueFormat = Callable[[float | None], str]

INK = "#1b2a3a"
DARK = "#23456b"
MID = "#6f87a3"
LIGHT = "#e6ecf2"
GRID = "#c9d3de"
MUTED = "#4f5d6b"
FONT = "font-family=\"'Liberation Sans', 'DejaVu Sans', Arial, sans-serif\""


def percent(value: float | None, missing: str = "–") -> str:
    """``0.62`` as ``62 %`` with a non-breaking space, as German print wants it."""
    return german.percent(value, german.NBSP, missing)


def _n(x: float) -> str:
    """A coordinate with at most one decimal and no trailing zeros: stable text for golden files."""
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _t(text: str) -> str:
    return escape(str(text))


def _wrap(text: str, width: int, max_lines: int) -> list[str]:
    """Wrap a label into at most ``max_lines`` lines; an overlong rest ends in an ellipsis."""
    lines = textwrap.wrap(str(text), width=width, break_long_words=True, break_on_hyphens=True) or [""]
    if len(lines) > max_lines:
        kept = lines[:max_lines]
        last = kept[-1]
        kept[-1] = (last[: width - 1] if len(last) >= width else last) + "…"
        return kept
    return lines


def _clamp(value: float) -> float:
    return max(0.0, min(1.0, value))


def _svg_open(chart_id: str, width: float, height: float, title: str, description: str) -> list[str]:
    """The root element with a text alternative that screen readers and text extraction find."""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id={quoteattr(chart_id)} '
        f'viewBox="0 0 {_n(width)} {_n(height)}" width="{_n(width)}" height="{_n(height)}" '
        f'role="img" aria-labelledby="{_t(chart_id)}-title {_t(chart_id)}-desc" {FONT}>',
        f'<title id="{_t(chart_id)}-title">{_t(title)}</title>',
        f'<desc id="{_t(chart_id)}-desc">{_t(description)}</desc>',
    ]


def _hatch(pattern_id: str) -> str:
    """Diagonal hatching: marks 'not reached' without relying on colour."""
    return (
        f'<pattern id="{_t(pattern_id)}" patternUnits="userSpaceOnUse" width="6" height="6" '
        'patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="#ffffff"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{MID}" stroke-width="2.4"/></pattern>'
    )


def bar_chart(
    items: Sequence[tuple[Label, float | None]],
    *,
    title: str,
    description: str,
    chart_id: str = "bars",
    threshold: float | None = None,
    threshold_label: str = "",
    missing_label: str = "keine Angabe",
    width: float = 640,
    label_width: float = 250,
    value_format: ValueFormat = percent,
    label_chars: int = 42,
) -> str:
    """Horizontal bars for values in 0..1 (None = no value), labels wrapped on the left.

    Bars are solid dark on a light, outlined track, with the value printed beside each bar, so the
    chart reads the same in colour, in grey-scale print and for a screen reader (via ``description``).
    """
    line_h = 13.0
    pad_top = 8.0
    axis_h = 22.0
    value_w = 52.0
    track_x = label_width + 8
    track_w = width - track_x - value_w
    rows: list[tuple[list[str], float | None]] = [
        (_wrap(label, label_chars, 2), value) for label, value in items
    ]
    row_heights = [max(22.0, len(lines) * line_h + 8) for lines, _ in rows]
    height = pad_top + sum(row_heights) + axis_h
    out = _svg_open(chart_id, width, height, title, description)
    plot_bottom = pad_top + sum(row_heights)
    out += _value_axis(track_x, track_w, pad_top, plot_bottom, value_format)
    y = pad_top
    for (lines, value), row_h in zip(rows, row_heights, strict=True):
        out += _bar_row(
            lines, value, y, row_h, label_width, track_x, track_w, line_h, missing_label, value_format
        )
        y += row_h
    if threshold is not None:
        out += _threshold_line(track_x + _clamp(threshold) * track_w, pad_top, plot_bottom, threshold_label)
    out.append("</svg>")
    return "\n".join(out)


def _value_axis(
    track_x: float, track_w: float, top: float, bottom: float, value_format: ValueFormat
) -> list[str]:
    """Grid lines at 0, 25, 50, 75 and 100 % with their labels under the plot."""
    out = []
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        x = track_x + tick * track_w
        out.append(
            f'<line x1="{_n(x)}" y1="{_n(top)}" x2="{_n(x)}" y2="{_n(bottom)}" '
            f'stroke="{GRID}" stroke-width="0.6"/>'
        )
        out.append(
            f'<text x="{_n(x)}" y="{_n(bottom + 14)}" font-size="9.5" text-anchor="middle" '
            f'fill="{MUTED}">{_t(value_format(tick))}</text>'
        )
    return out


def _bar_row(
    lines: list[str],
    value: float | None,
    y: float,
    row_h: float,
    label_width: float,
    track_x: float,
    track_w: float,
    line_h: float,
    missing_label: str,
    value_format: ValueFormat,
) -> list[str]:
    """One row: the wrapped label, the outlined track, the bar and its value (or "keine Angabe")."""
    mid = y + row_h / 2
    first = mid - (len(lines) - 1) * line_h / 2 + 4
    out = [
        f'<text x="{_n(label_width)}" y="{_n(first + i * line_h)}" font-size="10.5" '
        f'text-anchor="end" fill="{INK}">{_t(line)}</text>'
        for i, line in enumerate(lines)
    ]
    out.append(
        f'<rect x="{_n(track_x)}" y="{_n(mid - 6)}" width="{_n(track_w)}" height="12" '
        f'fill="{LIGHT}" stroke="{GRID}" stroke-width="0.6"/>'
    )
    if value is None:
        out.append(
            f'<text x="{_n(track_x + 6)}" y="{_n(mid + 3.5)}" font-size="9.5" font-style="italic" '
            f'fill="{MUTED}">{_t(missing_label)}</text>'
        )
        return out
    bar_w = _clamp(value) * track_w
    if bar_w > 0:
        out.append(
            f'<rect x="{_n(track_x)}" y="{_n(mid - 6)}" width="{_n(bar_w)}" height="12" fill="{DARK}"/>'
        )
    out.append(
        f'<text x="{_n(track_x + track_w + 6)}" y="{_n(mid + 4)}" font-size="10.5" '
        f'font-weight="bold" fill="{INK}">{_t(value_format(value))}</text>'
    )
    return out


def _threshold_line(x: float, top: float, bottom: float, label: str) -> list[str]:
    """The dashed threshold across all bars, labelled at the top."""
    out = [
        f'<line x1="{_n(x)}" y1="{_n(top - 4)}" x2="{_n(x)}" y2="{_n(bottom)}" '
        f'stroke="{INK}" stroke-width="1.2" stroke-dasharray="4 3"/>'
    ]
    if label:
        out.append(f'<text x="{_n(x + 3)}" y="{_n(top + 2)}" font-size="9" fill="{INK}">{_t(label)}</text>')
    return out


@dataclass(frozen=True)
class Step:
    """One step of the stage ladder: a stage with its score against its threshold."""

    label: str
    title: str
    score: float | None
    threshold: float
    reached: bool
    current: bool = False


def stage_ladder(
    steps: Sequence[Step],
    *,
    title: str,
    description: str,
    chart_id: str = "ladder",
    reached_label: str = "erreicht",
    open_label: str = "nicht erreicht",
    current_label: str = "Ihre Stufe",
    threshold_label: str = "Schwelle",
    missing_label: str = "–",
    width: float = 640,
    value_format: ValueFormat = percent,
) -> str:
    """One column per stage, all on one scale (0 at the base, 100 % at the top), filled to the stage's score.

    One scale, so that the same threshold sits at the same height in every column and columns compare at a
    glance. The dashed line in each column is the threshold. Reached stages are solid, open ones hatched,
    and the placement carries a heavy frame and a label: all readable without colour.
    """
    n = max(1, len(steps))
    gap = 14.0
    col_w = (width - gap * (n - 1)) / n
    top = 34.0
    tallest = 130.0
    title_lines = 3
    height = top + tallest + 18 + 14 + title_lines * 12 + 8
    base = top + tallest
    out = _svg_open(chart_id, width, height, title, description)
    out.append(f"<defs>{_hatch(chart_id + '-hatch')}</defs>")
    ladder = _Ladder(
        chart_id, col_w, tallest, base, title_lines, reached_label, open_label, current_label,
        threshold_label, missing_label, value_format,
    )  # fmt: skip
    for i, step in enumerate(steps):
        x = i * (col_w + gap)
        out += _ladder_column(ladder, x, step)
        out += _threshold_mark(ladder, x, step)
        out += _column_labels(ladder, x, step)
    out.append("</svg>")
    return "\n".join(out)


@dataclass(frozen=True)
class _Ladder:
    """The geometry and wording a stage ladder's columns share."""

    chart_id: str
    col_w: float
    col_h: float
    base: float
    title_lines: int
    reached_label: str
    open_label: str
    current_label: str
    threshold_label: str
    missing_label: str
    value_format: ValueFormat


def _ladder_column(g: _Ladder, x: float, step: Step) -> list[str]:
    """The column's frame, its fill to the score (solid when reached, hatched when not), the placement's frame."""
    col_top = g.base - g.col_h
    fill_h = _clamp(step.score or 0.0) * g.col_h
    fill = DARK if step.reached else f"url(#{g.chart_id}-hatch)"
    out = [
        f'<rect x="{_n(x)}" y="{_n(col_top)}" width="{_n(g.col_w)}" height="{_n(g.col_h)}" '
        f'fill="#ffffff" stroke="{MID}" stroke-width="1"/>'
    ]
    if fill_h > 0:
        out.append(
            f'<rect x="{_n(x)}" y="{_n(g.base - fill_h)}" width="{_n(g.col_w)}" height="{_n(fill_h)}" '
            f'fill="{fill}"/>'
        )
    return out


def _threshold_mark(g: _Ladder, x: float, step: Step) -> list[str]:
    """The dashed threshold across the column with its label on a white ground."""
    col_top = g.base - g.col_h
    ty = g.base - _clamp(step.threshold) * g.col_h
    label_bg_y = ty - 15 if ty - 15 > col_top + 1 else ty + 3
    th_text = f"{g.threshold_label} {g.value_format(step.threshold)}".strip()
    out = [
        # a white underlay keeps the dashes visible on a solid (reached) column
        f'<line x1="{_n(x - 3)}" y1="{_n(ty)}" x2="{_n(x + g.col_w + 3)}" y2="{_n(ty)}" '
        'stroke="#ffffff" stroke-width="3.2"/>',
        f'<line x1="{_n(x - 3)}" y1="{_n(ty)}" x2="{_n(x + g.col_w + 3)}" y2="{_n(ty)}" '
        f'stroke="{INK}" stroke-width="1.4" stroke-dasharray="5 3"/>',
        f'<rect x="{_n(x + 3)}" y="{_n(label_bg_y)}" width="{_n(min(g.col_w - 6, 8 + 5.6 * len(th_text)))}" '
        f'height="12" fill="#ffffff" fill-opacity="0.92"/>',
        f'<text x="{_n(x + 6)}" y="{_n(label_bg_y + 9)}" font-size="9" fill="{INK}">{_t(th_text)}</text>',
    ]
    if step.current:
        out.append(
            f'<rect x="{_n(x - 2)}" y="{_n(col_top - 2)}" width="{_n(g.col_w + 4)}" height="{_n(g.col_h + 4)}" '
            f'fill="none" stroke="{INK}" stroke-width="3"/>'
        )
    return out


def _column_labels(g: _Ladder, x: float, step: Step) -> list[str]:
    """Score and status above the column, the stage's number and wrapped title below it."""
    col_top = g.base - g.col_h
    mid = x + g.col_w / 2
    score_text = g.value_format(step.score) if step.score is not None else g.missing_label
    status = g.reached_label if step.reached else g.open_label
    if step.current:
        status = f"{g.current_label} · {status}"
    out = [
        f'<text x="{_n(mid)}" y="{_n(col_top - 8)}" font-size="15" font-weight="bold" '
        f'text-anchor="middle" fill="{INK}">{_t(score_text)}</text>',
        f'<text x="{_n(mid)}" y="{_n(col_top - 23)}" font-size="9.5" text-anchor="middle" '
        f'fill="{INK}"{" font-weight=" + quoteattr("bold") if step.current else ""}>{_t(status)}</text>',
        f'<text x="{_n(mid)}" y="{_n(g.base + 16)}" font-size="11.5" font-weight="bold" '
        f'text-anchor="middle" fill="{INK}">{_t(step.label)}</text>',
    ]
    chars = max(8, int(g.col_w / 5.6))
    out += [
        f'<text x="{_n(mid)}" y="{_n(g.base + 30 + j * 12)}" font-size="9.5" '
        f'text-anchor="middle" fill="{MUTED}">{_t(line)}</text>'
        for j, line in enumerate(_wrap(step.title, chars, g.title_lines))
    ]
    return out


def heatmap(
    rows: Sequence[Label],
    columns: Sequence[Label],
    values: Sequence[Sequence[float | None]],
    *,
    title: str,
    description: str,
    chart_id: str = "heatmap",
    missing_label: str = "–",
    width: float = 640,
    row_label_width: float = 170,
    value_format: ValueFormat = percent,
) -> str:
    """A rows × columns grid of values in 0..1, shaded light to dark with the value printed in each cell.

    Meant for comparisons (municipalities × dimensions). Column labels are slanted to fit; the
    printed numbers keep it readable in grey-scale print.
    """
    n_cols = max(1, len(columns))
    cell_w = (width - row_label_width) / n_cols
    cell_h = 20.0
    head_h = 96.0
    height = head_h + cell_h * len(rows) + 4
    out = _svg_open(chart_id, width, height, title, description)
    for j, col in enumerate(columns):
        cx = row_label_width + (j + 0.5) * cell_w
        label = _wrap(col, 24, 1)[0]
        out.append(
            f'<text x="{_n(cx)}" y="{_n(head_h - 6)}" font-size="9" fill="{INK}" '
            f'transform="rotate(-50 {_n(cx)} {_n(head_h - 6)})">{_t(label)}</text>'
        )
    for i, row in enumerate(rows):
        y = head_h + i * cell_h
        out.append(
            f'<text x="{_n(row_label_width - 6)}" y="{_n(y + 13.5)}" font-size="10" text-anchor="end" '
            f'fill="{INK}">{_t(_wrap(row, 30, 1)[0])}</text>'
        )
        row_values = list(values[i]) if i < len(values) else []
        for j in range(n_cols):
            value = row_values[j] if j < len(row_values) else None
            x = row_label_width + j * cell_w
            shade = _shade(value)
            out.append(
                f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(cell_w)}" height="{_n(cell_h)}" '
                f'fill="{shade}" stroke="#ffffff" stroke-width="1"/>'
            )
            ink = "#ffffff" if value is not None and value >= 0.55 else INK
            text = value_format(value) if value is not None else missing_label
            out.append(
                f'<text x="{_n(x + cell_w / 2)}" y="{_n(y + 13.5)}" font-size="9" text-anchor="middle" '
                f'fill="{ink}">{_t(text)}</text>'
            )
    out.append("</svg>")
    return "\n".join(out)


def _shade(value: float | None) -> str:
    """Light grey-blue for 0 to dark blue for 1; white-ish with a dash for no value."""
    if value is None:
        return "#f4f6f8"
    low = (0xEE, 0xF2, 0xF6)
    high = (0x1D, 0x35, 0x57)
    v = _clamp(value)
    rgb = tuple(round(a + (b - a) * v) for a, b in zip(low, high, strict=True))
    return "#{:02x}{:02x}{:02x}".format(*rgb)
