// The page's charts: SVG drawn at the width it is shown at (one unit is one CSS pixel, so a 12 px
// label is 12 px on a phone too), every label kept inside its chart and clear of the others.
// Each chart draws the API's numbers only; their text equivalents are tables built in answer.js.
import { chance, money } from "./money.js";

const SVG = "http://www.w3.org/2000/svg";
const GAP = 3; // px kept between two labels

export function svg(tag, attributes = {}, parent = null, text = null) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== null) node.textContent = text;
  if (parent) parent.appendChild(node);
  return node;
}

function scale(domain, range, log = false) {
  const f = log ? Math.log10 : (x) => x;
  const [d0, d1] = domain.map(f);
  return (x) => range[0] + ((f(x) - d0) / (d1 - d0 || 1)) * (range[1] - range[0]);
}

/** Empty the chart and size it to its box; returns its width in px. */
function begin(chart) {
  chart.replaceChildren();
  const width = Math.max(280, Math.floor(chart.parentElement.getBoundingClientRect().width));
  chart.setAttribute("width", width);
  return width;
}

function finish(chart, width, height) {
  chart.setAttribute("height", height);
  chart.setAttribute("viewBox", `0 0 ${width} ${height}`);
}

const overlap = (a, b) =>
  a.x < b.x + b.width + GAP && b.x < a.x + a.width + GAP && a.y < b.y + b.height && b.y < a.y + a.height;

/** Move a label sideways until it sits inside [0, width]. */
function inside(label, width) {
  const box = label.getBBox();
  const shift = box.x < 1 ? 1 - box.x : Math.min(0, width - 1 - (box.x + box.width));
  if (shift) label.setAttribute("x", Number(label.getAttribute("x")) + shift);
}

/** Keep the labels that fit, in order of importance; a label that would touch a kept one is removed. */
function keepClear(labels, width) {
  const kept = [];
  for (const label of labels) {
    inside(label, width);
    const box = label.getBBox();
    if (kept.some((other) => overlap(box, other))) label.remove();
    else kept.push(box);
  }
}

/** Text on one line if it fits in `room` px, else broken before `second`: returns the height used. */
function wrapped(chart, x, y, parts, room, attributes) {
  const line = svg("text", { x, y, ...attributes }, chart, parts.join(" "));
  if (line.getComputedTextLength() <= room) return 18;
  line.textContent = parts[0];
  svg("text", { x, y: y + 16, ...attributes }, chart, parts.slice(1).join(" "));
  return 34;
}

function axisX(chart, x, ticks, y, width) {
  svg("line", { x1: x(ticks[0].value), x2: x(ticks[ticks.length - 1].value), y1: y, y2: y, class: "axis" }, chart);
  const labels = ticks.map((tick) => {
    svg("line", { x1: x(tick.value), x2: x(tick.value), y1: y, y2: y + 4, class: "axis" }, chart);
    const label = svg("text", { x: x(tick.value), y: y + 19, class: "tick", "text-anchor": "middle" }, chart, tick.label);
    return { label, first: Boolean(tick.first) };
  });
  keepClear([...labels.filter((l) => l.first), ...labels.filter((l) => !l.first)].map((l) => l.label), width);
}

function axisY(chart, y, ticks, left, right, label, labelY) {
  for (const tick of ticks) {
    svg("line", { x1: left, x2: right, y1: y(tick.value), y2: y(tick.value), class: "grid" }, chart);
    svg("text", { x: left - 6, y: y(tick.value) + 4, class: "tick", "text-anchor": "end" }, chart, tick.label);
  }
  svg("text", { x: 4, y: labelY, class: "label" }, chart, label);
}

function logTicks(lo, hi) {
  const ticks = [];
  for (let p = Math.floor(Math.log10(lo)); p <= Math.ceil(Math.log10(hi)); p += 1) {
    for (const m of [1, 3]) {
      const value = m * 10 ** p;
      if (value >= lo && value <= hi) ticks.push({ value, label: money(value), first: m === 1 });
    }
  }
  return ticks;
}

/** P(revenue <= x) from the answer's quantiles, the interval shaded, the budget and hit lines marked. */
export function drawDistribution(chart, answer, budget, hitMultiple, dollars) {
  const width = begin(chart);
  const [left, right, top, bottom] = [58, width - 14, 34, 234];
  const points = answer.quantiles;
  const hitLine = hitMultiple * budget;
  const lo = Math.max(1, Math.min(points[0].revenue, budget) / 2);
  const hi = Math.max(points[points.length - 1].revenue, hitLine, answer.producer_break_even_revenue ?? 0) * 2;
  const x = scale([lo, hi], [left, right], true);
  const y = scale([0, 1], [bottom, top]);
  axisY(chart, y, [0, 0.25, 0.5, 0.75, 1].map((v) => ({ value: v, label: chance(v) })), left, right,
    "P(revenue \u2264 x)", top - 14);
  svg("rect", {
    x: x(answer.revenue_low), y: top, width: Math.max(1, x(answer.revenue_high) - x(answer.revenue_low)),
    height: bottom - top, class: "interval",
  }, chart);
  axisX(chart, x, logTicks(lo, hi), bottom, width);
  svg("text", { x: (left + right) / 2, y: bottom + 34, class: "label", "text-anchor": "middle" }, chart,
    `box office, ${dollars} (log scale)`);
  const path = points.map((p, i) => `${i ? "L" : "M"}${x(p.revenue).toFixed(1)},${y(p.probability).toFixed(1)}`);
  svg("path", { d: path.join(" "), class: "cdf" }, chart);
  for (const p of points) {
    const dot = svg("circle", { cx: x(p.revenue), cy: y(p.probability), r: 3, class: "cdf-point" }, chart);
    dot.dataset.value = String(p.revenue);
  }
  svg("circle", { cx: x(answer.predicted_revenue), cy: y(0.5), r: 5, class: "median-point" }, chart);
  const marks = [
    { value: budget, tag: "budget", parts: [`budget ${money(budget)}:`, `P(gross > budget) ${chance(answer.break_even_probability)}`] },
    { value: hitLine, tag: "hit line", parts: [`hit line ${money(hitLine)}:`, `P(hit) ${chance(answer.hit_probability)}`] },
  ];
  if (answer.producer_break_even_revenue != null) {  // null: no box office brings a profit; no mark
    const line = answer.producer_break_even_revenue;
    marks.push({ value: line, tag: "profit", parts: [`producer's break-even ${money(line)}:`, `P(profit) ${chance(answer.profit_probability)}`] });
  }
  let legend = bottom + 58;
  // Every mark's line before any tag: a tag near the next mark is painted over its line, on a halo.
  marks.forEach((mark, row) => {
    svg("line", { x1: x(mark.value), x2: x(mark.value), y1: top, y2: bottom, class: `mark mark-${row}` }, chart);
  });
  marks.forEach((mark, row) => {
    const at = x(mark.value);
    const tag = svg("text", { x: at + 4, y: top + 14 + 16 * row, class: "mark-label mark-tag halo" }, chart, mark.tag);
    if (at + 4 + tag.getComputedTextLength() > right) {
      tag.setAttribute("x", at - 4);
      tag.setAttribute("text-anchor", "end");
    }
    svg("line", { x1: 4, x2: 26, y1: legend - 4, y2: legend - 4, class: `mark mark-${row}` }, chart);
    legend += wrapped(chart, 32, legend, mark.parts, width - 36, { class: "mark-label" });
  });
  finish(chart, width, legend);
}

/** The largest contributions as bars either side of zero, each labelled above its bar. */
export function drawExplanation(chart, items) {
  const width = begin(chart);
  const most = Math.max(...items.map((item) => Math.abs(item.value)), 1e-9);
  const x = scale([-most, most], [56, width - 56]);
  const height = 10 + items.length * 40;
  // The axis first: a label longer than half a phone's width crosses it, and is painted over it, on a halo.
  svg("line", { x1: x(0), x2: x(0), y1: 20, y2: height - 4, class: "axis" }, chart);
  items.forEach((item, i) => {
    const top = 6 + i * 40;
    svg("text", { x: 4, y: top + 12, class: "label halo" }, chart, item.label);
    const bar = svg("rect", {
      x: Math.min(x(0), x(item.value)), y: top + 17, width: Math.max(1, Math.abs(x(item.value) - x(0))), height: 14,
      class: item.value > 0 ? "bar-up" : "bar-down",
    }, chart);
    bar.dataset.value = String(item.value);
    svg("title", {}, bar, `${item.label}: ${item.format(item.shown)}`);
    const up = item.value > 0;
    svg("text", { x: x(item.value) + (up ? 4 : -4), y: top + 29, class: "tick", "text-anchor": up ? "start" : "end" },
      chart, item.format(item.shown));
  });
  finish(chart, width, height);
}

// The what-if charts' chances (bottom panel): answer field, class, label. P(profit) is the producer's
// (the page's lead number), P(hit) the data's definition of a hit.
const SWEEP_CHANCES = [["hit_probability", "hit", "P(hit)"], ["profit_probability", "profit", "P(profit)"]];

/** Two panels against the scenarios' x values: median revenue (top), and P(hit) and P(profit) (bottom). */
export function drawSweep(chart, xs, answers, options) {
  const width = begin(chart);
  const [left, right] = [66, width - 14];
  const x = options.log ? scale([xs[0], xs[xs.length - 1]], [left, right], true) : scale([0, xs.length - 1], [left, right]);
  const at = (i) => (options.log ? x(xs[i]) : x(i));
  const revenue = answers.map((a) => a.predicted_revenue);
  const ceiling = Math.max(...revenue) * 1.1;
  const top = scale([0, ceiling], [140, 32]);
  const bottom = scale([0, 1], [276, 186]);
  axisY(chart, top, [0, 0.5, 1].map((f) => ({ value: f * ceiling, label: money(f * ceiling) })), left, right,
    "median revenue", 16);
  axisY(chart, bottom, [0, 0.5, 1].map((v) => ({ value: v, label: chance(v) })), left, right, "chance", 170);
  SWEEP_CHANCES.forEach(([, kind, said], k) => {  // the legend, beside the panel's label
    const from = left + 10 + k * 96;
    svg("line", { x1: from, x2: from + 24, y1: 166, y2: 166, class: `sweep ${kind}` }, chart);
    svg("text", { x: from + 28, y: 170, class: "label" }, chart, said);
  });
  const ticks = xs.map((value, i) => ({
    value: options.log ? value : i, label: options.label(value, i), first: i === options.current,
  }));
  axisX(chart, x, ticks, 276, width);
  svg("text", { x: (left + right) / 2, y: 310, class: "label", "text-anchor": "middle" }, chart, options.axis);
  const line = (ys, y) => ys.map((v, i) => `${i ? "L" : "M"}${at(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
  svg("path", { d: line(revenue, top), class: "sweep" }, chart);
  for (const [field, kind] of SWEEP_CHANCES) {
    svg("path", { d: line(answers.map((a) => a[field]), bottom), class: `sweep ${kind}` }, chart);
  }
  answers.forEach((answer, i) => {
    const current = i === options.current;
    const r = current ? 6 : 4;
    const point = svg("circle", {
      cx: at(i), cy: top(answer.predicted_revenue), r, class: `revenue-point${current ? " current" : ""}`,
    }, chart);
    point.dataset.value = String(answer.predicted_revenue);
    svg("title", {}, point, `${options.label(xs[i], i)}: median ${money(answer.predicted_revenue)}`);
    for (const [field, kind, said] of SWEEP_CHANCES) {
      const dot = svg("circle", { cx: at(i), cy: bottom(answer[field]), r, class: `${kind}-point${current ? " current" : ""}` }, chart);
      dot.dataset.value = String(answer[field]);
      svg("title", {}, dot, `${options.label(xs[i], i)}: ${said} ${chance(answer[field])}`);
    }
  });
  finish(chart, width, 320);
}

/**
 * The track record: each film's median forecast (dot) and 80% interval (bar) against its actual revenue,
 * both on log scales over the same range, with the diagonal where the forecast equals the actual.
 * Each point: {name, actual, median, low, high}, all the API's.
 */
export function drawTrackRecord(chart, points) {
  const width = begin(chart);
  const height = Math.min(440, Math.max(300, width * 0.7));
  const [left, right, top, bottom] = [66, width - 14, 34, height - 48];
  const values = points.flatMap((p) => [p.actual, p.median, p.low, p.high]).filter((v) => v > 0);
  const lo = Math.min(...values) / 1.5;
  const hi = Math.max(...values) * 1.5;
  const x = scale([lo, hi], [left, right], true);
  const y = scale([lo, hi], [bottom, top], true);
  let ticks = logTicks(lo, hi);
  if (ticks.length > (bottom - top) / 22) ticks = ticks.filter((tick) => tick.first);
  axisY(chart, y, ticks, left, right, "forecast (log scale)", top - 16);
  axisX(chart, x, ticks, bottom, width);
  svg("text", { x: (left + right) / 2, y: bottom + 38, class: "label", "text-anchor": "middle" }, chart,
    "actual revenue (log scale)");
  svg("line", { x1: x(lo), y1: y(lo), x2: x(hi), y2: y(hi), class: "diagonal" }, chart);
  for (const p of points) {
    const bar = svg("line", { x1: x(p.actual), x2: x(p.actual), y1: y(p.low), y2: y(p.high), class: "record-interval" }, chart);
    bar.dataset.low = String(p.low);
    bar.dataset.high = String(p.high);
    const dot = svg("circle", { cx: x(p.actual), cy: y(p.median), r: 4, class: "record-point" }, chart);
    dot.dataset.value = String(p.median);
    dot.dataset.actual = String(p.actual);
    svg("title", {}, dot, `${p.name}: forecast ${money(p.median)} (${money(p.low)} to ${money(p.high)}), actual ${money(p.actual)}`);
  }
  finish(chart, width, height);
}
