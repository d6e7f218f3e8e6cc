// The forecast page: a client of the boxoffice API. Every number shown comes from
// /predict/pre_release and /predict/pre_release/scenarios; each shown figure keeps the
// API's value in its data-value attribute. Elements are built with textContent and
// attributes only (never HTML from data), and the charts are SVG drawn here: no library,
// no other origin, nothing inline (the page's Content-Security-Policy forbids it).
"use strict";

const SVG = "http://www.w3.org/2000/svg";
// The form's lists of names: field of the API body -> its label.
const LIST_LABELS = {
  production_companies: "Production companies",
  directors: "Directors",
  cast: "Lead cast, in billing order",
  keywords: "Keywords",
};
const LISTS = Object.keys(LIST_LABELS);
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const BUDGET_FACTORS = [0.25, 0.4, 0.5, 0.67, 0.8, 1, 1.25, 1.5, 2, 3];
const state = { context: null, names: {} };

function el(tag, attributes = {}, text = null, parent = null) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== null) node.textContent = text;
  if (parent) parent.appendChild(node);
  return node;
}

function svg(tag, attributes = {}, parent = null, text = null) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== null) node.textContent = text;
  if (parent) parent.appendChild(node);
  return node;
}

const money = (dollars) =>
  dollars >= 1e9 ? `$${(dollars / 1e9).toFixed(2)}B` : `$${(dollars / 1e6).toFixed(1)}M`;
const percent = (p) => `${(100 * p).toFixed(1)}%`;

function show(node, value, format) {
  node.textContent = format(value);
  node.dataset.value = String(value);
}

// ---------------------------------------------------------------- the form

function addName(field, name) {
  const value = name.trim();
  if (!value) return;
  state.names[field].push(value);
  drawChips(field);
}

function drawChips(field) {
  const list = document.getElementById(`${field}-chips`);
  list.replaceChildren();
  state.names[field].forEach((name, index) => {
    const chip = el("li", { class: "chip" }, null, list);
    el("span", {}, name, chip);
    const remove = el("button", { type: "button", "aria-label": `Remove ${name}` }, "\u00d7", chip);
    remove.addEventListener("click", () => {
      state.names[field].splice(index, 1);
      drawChips(field);
    });
  });
}

// One row per list: its label, its names as removable chips, an input with suggestions, an Add button.
function nameField(field, parent) {
  const row = el("div", { class: "row", "data-field": field }, null, parent);
  el("label", { for: `${field}-input` }, LIST_LABELS[field], row);
  el("ul", { class: "chips", id: `${field}-chips` }, null, row);
  el("input", { id: `${field}-input`, list: `${field}-list`, autocomplete: "off" }, null, row);
  el("button", { type: "button", class: "add", "data-add": field }, "Add", row);
  el("datalist", { id: `${field}-list` }, null, row);
  el("p", { class: "error", "data-error-for": field }, null, row);
}

function setUpLists(context) {
  const fields = document.getElementById("name-fields");
  for (const field of LISTS) {
    nameField(field, fields);
    state.names[field] = [];
    const input = document.getElementById(`${field}-input`);
    const known = field === "keywords" ? context.keywords : context.names[field];
    const datalist = document.getElementById(`${field}-list`);
    for (const name of known) el("option", { value: name }, null, datalist);
    const take = () => {
      addName(field, input.value);
      input.value = "";
    };
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        take();
      }
    });
    document.querySelector(`[data-add="${field}"]`).addEventListener("click", take);
  }
  const boxes = document.getElementById("genre-boxes");
  for (const genre of context.genres) {
    const label = el("label", { class: "box" }, null, boxes);
    el("input", { type: "checkbox", name: "genre", value: genre }, null, label);
    label.appendChild(document.createTextNode(` ${genre}`));
  }
}

function fillExample(example) {
  for (const name of ["budget", "runtime", "release_date", "original_language"]) {
    document.getElementById(name).value = String(example[name]);
  }
  for (const box of document.querySelectorAll('input[name="genre"]')) box.checked = example.genres.includes(box.value);
  for (const field of LISTS) {
    state.names[field] = [...(example[field] || [])];
    drawChips(field);
  }
}

// Numbers go to the API as numbers when they read as one, else as typed: the API's 422 says what is wrong.
function number(text) {
  const trimmed = text.trim().replaceAll(",", "");
  if (trimmed === "") return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : text;
}

function filmFromForm() {
  const film = {};
  for (const name of ["budget", "runtime"]) {
    const value = number(document.getElementById(name).value);
    if (value !== undefined) film[name] = value;
  }
  const date = document.getElementById("release_date").value;
  if (date) film.release_date = date;
  film.original_language = document.getElementById("original_language").value.trim();
  film.genres = [...document.querySelectorAll('input[name="genre"]:checked')].map((box) => box.value);
  for (const field of LISTS) {
    const pending = document.getElementById(`${field}-input`);
    if (pending.value.trim()) {
      addName(field, pending.value);
      pending.value = "";
    }
    film[field] = [...state.names[field]];
  }
  return film;
}

function clearErrors() {
  for (const node of document.querySelectorAll(".error")) node.textContent = "";
  for (const node of document.querySelectorAll(".invalid")) node.classList.remove("invalid");
}

// An API error's field ('budget', 'directors[0]', 'query.comps', 'scenarios[3].budget') -> the form's field.
function formField(field) {
  const path = field.replace(/^query\./, "").replace(/^scenarios\[\d+\]\.?/, "");
  return path.split(/[.[]/)[0] || "body";
}

function showErrors(detail) {
  for (const error of detail) {
    const field = formField(error.field);
    const slot = document.querySelector(`[data-error-for="${CSS.escape(field)}"]`);
    const target = slot || document.getElementById("form-error");
    const text = slot ? error.message : `${error.field}: ${error.message}`;
    target.textContent = target.textContent ? `${target.textContent}; ${text}` : text;
    const input = document.getElementById(field) || document.getElementById(`${field}-input`);
    if (input) input.classList.add("invalid");
  }
}

async function post(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({ detail: `HTTP ${response.status}` }));
  return { status: response.status, answer };
}

function problem(answer) {
  return typeof answer.detail === "string" ? answer.detail : "the service could not answer";
}

// ---------------------------------------------------------------- scenarios

function monthScenarios(date) {
  const [year, , day] = date.split("-").map(Number);
  return MONTHS.map((_, m) => {
    const last = new Date(Date.UTC(year, m + 1, 0)).getUTCDate();
    const d = String(Math.min(day, last)).padStart(2, "0");
    return { release_date: `${String(year).padStart(4, "0")}-${String(m + 1).padStart(2, "0")}-${d}` };
  });
}

// The film's own budget is the unchanged scenario, {}: its answer is the film's own.
const budgetScenarios = (budget) =>
  BUDGET_FACTORS.map((factor) => (factor === 1 ? {} : { budget: Math.round(budget * factor) }));

// ---------------------------------------------------------------- charts

function scale(domain, range, log = false) {
  const f = log ? Math.log10 : (x) => x;
  const [d0, d1] = domain.map(f);
  return (x) => range[0] + ((f(x) - d0) / (d1 - d0 || 1)) * (range[1] - range[0]);
}

function clear(chart) {
  chart.replaceChildren();
  return chart;
}

function axisX(chart, x, ticks, y, label) {
  svg("line", { x1: x(ticks[0].value), x2: x(ticks[ticks.length - 1].value), y1: y, y2: y, class: "axis" }, chart);
  for (const tick of ticks) {
    svg("line", { x1: x(tick.value), x2: x(tick.value), y1: y, y2: y + 4, class: "axis" }, chart);
    svg("text", { x: x(tick.value), y: y + 16, class: "tick", "text-anchor": "middle" }, chart, tick.label);
  }
  if (label) svg("text", { x: 330, y: y + 32, class: "label", "text-anchor": "middle" }, chart, label);
}

function axisY(chart, y, ticks, x, label) {
  for (const tick of ticks) {
    svg("line", { x1: x, x2: 620, y1: y(tick.value), y2: y(tick.value), class: "grid" }, chart);
    svg("text", { x: x - 6, y: y(tick.value) + 4, class: "tick", "text-anchor": "end" }, chart, tick.label);
  }
  if (label) svg("text", { x: 12, y: y(ticks[ticks.length - 1].value) - 8, class: "label" }, chart, label);
}

function logTicks(lo, hi) {
  const ticks = [];
  for (let p = Math.floor(Math.log10(lo)); p <= Math.ceil(Math.log10(hi)); p += 1) {
    for (const m of [1, 3]) {
      const value = m * 10 ** p;
      if (value >= lo && value <= hi) ticks.push({ value, label: money(value) });
    }
  }
  return ticks;
}

function drawDistribution(answer, budget, hitMultiple) {
  const chart = clear(document.getElementById("cdf-chart"));
  const points = answer.quantiles;
  const hitLine = hitMultiple * budget;
  const lo = Math.max(1, Math.min(points[0].revenue, budget) / 2);
  const hi = Math.max(points[points.length - 1].revenue, hitLine) * 2;
  const x = scale([lo, hi], [60, 620], true);
  const y = scale([0, 1], [260, 20]);
  axisY(chart, y, [0, 0.25, 0.5, 0.75, 1].map((v) => ({ value: v, label: percent(v) })), 60, "P(revenue \u2264 x)");
  axisX(chart, x, logTicks(lo, hi), 260, "worldwide revenue (release-year dollars, log scale)");
  svg("rect", {
    x: x(answer.revenue_low), y: 20, width: Math.max(1, x(answer.revenue_high) - x(answer.revenue_low)), height: 240,
    class: "interval",
  }, chart);
  const path = points.map((p, i) => `${i ? "L" : "M"}${x(p.revenue).toFixed(1)},${y(p.probability).toFixed(1)}`);
  svg("path", { d: path.join(" "), class: "cdf" }, chart);
  for (const p of points) {
    svg("circle", { cx: x(p.revenue), cy: y(p.probability), r: 3, class: "cdf-point" }, chart);
  }
  svg("circle", { cx: x(answer.predicted_revenue), cy: y(0.5), r: 5, class: "median-point" }, chart);
  const marks = [
    { value: budget, text: `budget ${money(budget)}: P(break-even) ${percent(answer.break_even_probability)}`, row: 0 },
    { value: hitLine, text: `hit line ${money(hitLine)}: P(hit) ${percent(answer.hit_probability)}`, row: 1 },
  ];
  for (const mark of marks) {
    const at = x(mark.value);
    svg("line", { x1: at, x2: at, y1: 20, y2: 260, class: `mark mark-${mark.row}` }, chart);
    const anchor = at > 400 ? "end" : "start";
    svg("text", { x: at + (anchor === "end" ? -4 : 4), y: 34 + 16 * mark.row, class: "mark-label", "text-anchor": anchor },
      chart, mark.text);
  }
}

function drawExplanation(explanation) {
  const chart = clear(document.getElementById("explanation-chart"));
  const items = Object.entries(explanation.contributions)
    .filter(([, value]) => value !== 0)
    .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
    .slice(0, 8);
  const most = Math.max(...items.map(([, value]) => Math.abs(value)), 1e-9);
  const x = scale([-most, most], [250, 610]);
  items.forEach(([name, value], i) => {
    const top = 14 + i * 30;
    svg("text", { x: 240, y: top + 15, class: "tick", "text-anchor": "end" }, chart, name);
    const bar = svg("rect", {
      x: Math.min(x(0), x(value)), y: top, width: Math.max(1, Math.abs(x(value) - x(0))), height: 20,
      class: value > 0 ? "bar-up" : "bar-down",
    }, chart);
    bar.dataset.value = String(value);
    svg("title", {}, bar, `${name}: ${value > 0 ? "+" : ""}${value.toFixed(3)}`);
    const label = value > 0 ? "+" + value.toFixed(2) : value.toFixed(2);
    svg("text", { x: x(value) + (value > 0 ? 4 : -4), y: top + 15, class: "tick", "text-anchor": value > 0 ? "start" : "end" },
      chart, label);
  });
  svg("line", { x1: x(0), x2: x(0), y1: 8, y2: 14 + items.length * 30, class: "axis" }, chart);
}

// Two panels: median revenue (top) and P(hit) (bottom) against the scenarios' x values.
function drawSweep(chartId, xs, answers, options) {
  const chart = clear(document.getElementById(chartId));
  const x = options.log ? scale([xs[0], xs[xs.length - 1]], [80, 610], true) : scale([0, xs.length - 1], [80, 610]);
  const at = (i) => (options.log ? x(xs[i]) : x(i));
  const revenue = answers.map((a) => a.predicted_revenue);
  const ceiling = Math.max(...revenue) * 1.1;
  const top = scale([0, ceiling], [150, 20]);
  const bottom = scale([0, 1], [300, 190]);
  axisY(chart, top, [0, 0.5, 1].map((f) => ({ value: f * ceiling, label: money(f * ceiling) })), 80, "median revenue");
  axisY(chart, bottom, [0, 0.5, 1].map((v) => ({ value: v, label: percent(v) })), 80, "P(hit)");
  const ticks = xs.map((value, i) => ({ value: options.log ? value : i, label: options.label(value, i) }));
  // every month is labelled; on the budget's log axis every other point and the last
  const labelled = ticks.filter((_, i) => !options.log || i % 2 === 0 || i === xs.length - 1);
  axisX(chart, x, labelled, 300, options.axis);
  const line = (ys, y) => ys.map((v, i) => `${i ? "L" : "M"}${at(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
  svg("path", { d: line(revenue, top), class: "sweep" }, chart);
  svg("path", { d: line(answers.map((a) => a.hit_probability), bottom), class: "sweep hit" }, chart);
  answers.forEach((answer, i) => {
    const current = i === options.current;
    const point = svg("circle", {
      cx: at(i), cy: top(answer.predicted_revenue), r: current ? 6 : 4, class: `revenue-point${current ? " current" : ""}`,
    }, chart);
    point.dataset.value = String(answer.predicted_revenue);
    svg("title", {}, point, `${options.label(xs[i], i)}: median ${money(answer.predicted_revenue)}`);
    const hit = svg("circle", {
      cx: at(i), cy: bottom(answer.hit_probability), r: current ? 6 : 4, class: `hit-point${current ? " current" : ""}`,
    }, chart);
    hit.dataset.value = String(answer.hit_probability);
    svg("title", {}, hit, `${options.label(xs[i], i)}: P(hit) ${percent(answer.hit_probability)}`);
  });
}

function drawComps(comps, context) {
  const body = document.querySelector("#comps-table tbody");
  body.replaceChildren();
  document.getElementById("real-header").textContent = `Revenue (${context.cpi_base_year} $)`;
  for (const comp of comps) {
    const row = el("tr", {}, null, body);
    el("td", {}, comp.title, row);
    el("td", {}, comp.release_date, row);
    for (const [name, format] of [["budget", money], ["revenue", money], ["real_revenue", money],
      ["revenue_multiple", (v) => `${v.toFixed(2)}\u00d7`]]) {
      show(el("td", { class: "number" }, null, row), comp[name], format);
    }
    el("td", {}, comp.is_hit ? "hit" : "no", row);
    show(el("td", { class: "number" }, null, row), comp.similarity, (v) => v.toFixed(3));
  }
  document.getElementById("comps-note").textContent = comps.length
    ? `The ${comps.length} past films released before this one that the model sees as most alike (similarity 1 = seen exactly alike).`
    : "No comparable films were asked for, or none was released before this date.";
}

// ---------------------------------------------------------------- putting it together

async function forecast(event) {
  event.preventDefault();
  clearErrors();
  const film = filmFromForm();
  const comps = number(document.getElementById("comps").value);
  const query = `explain=true&quantiles=true&comps=${encodeURIComponent(comps === undefined ? 0 : comps)}`;
  const button = document.getElementById("submit");
  button.disabled = true;
  try {
    const single = await post(`/predict/pre_release?${query}`, film);
    if (single.status === 422) return showErrors(single.answer.detail);
    if (single.status !== 200) {
      document.getElementById("form-error").textContent = problem(single.answer);
      return;
    }
    const scenarios = [...monthScenarios(film.release_date), ...budgetScenarios(film.budget)];
    const sweep = await post("/predict/pre_release/scenarios", { film, scenarios });
    if (sweep.status === 422) return showErrors(sweep.answer.detail);
    if (sweep.status !== 200) {
      document.getElementById("form-error").textContent = problem(sweep.answer);
      return;
    }
    draw(film, single.answer, sweep.answer.scenarios);
  } catch (error) {
    document.getElementById("form-error").textContent = `the service could not be reached (${error.message})`;
  } finally {
    button.disabled = false;
  }
}

function draw(film, answer, scenarios) {
  const context = state.context;
  const results = document.getElementById("results");
  results.hidden = false;
  show(document.getElementById("median"), answer.predicted_revenue, money);
  show(document.getElementById("low"), answer.revenue_low, money);
  show(document.getElementById("high"), answer.revenue_high, money);
  document.getElementById("interval-label").textContent = `${Math.round(answer.interval_coverage * 100)}% interval`;
  show(document.getElementById("break-even"), answer.break_even_probability, percent);
  show(document.getElementById("hit"), answer.hit_probability, percent);
  document.getElementById("hit-label").textContent = `P(hit: revenue > ${context.hit_multiple}\u00d7 budget)`;
  drawDistribution(answer, film.budget, context.hit_multiple);
  drawExplanation(answer.explanation);
  const months = scenarios.slice(0, 12);
  const budgets = scenarios.slice(12);
  const month = Number(film.release_date.split("-")[1]) - 1;
  drawSweep("month-chart", MONTHS, months, { label: (m) => m, axis: "release month", current: month });
  const amounts = budgetScenarios(film.budget).map((s) => s.budget ?? film.budget);
  drawSweep("budget-chart", amounts, budgets, {
    log: true, label: (b) => money(b), axis: "budget (log scale)", current: BUDGET_FACTORS.indexOf(1),
  });
  drawComps(answer.comps || [], context);
  results.scrollIntoView({ block: "start" });
  document.body.dataset.drawn = "true";
}

function describeTrust(context) {
  const f = context.forward;
  const comps = Object.entries(f.comps_median_r2).sort((a, b) => Number(a[0]) - Number(b[0]));
  document.getElementById("trust-text").textContent =
    `Tested forward in time: the models were rebuilt from the films released before ${f.cutoff} and scored on ` +
    `the ${f.films} released from then on. There the predicted log revenue had R\u00b2 ${f.r2.toFixed(3)}, the ` +
    `${Math.round(f.nominal_coverage * 100)}% interval covered ${percent(f.interval_coverage)} of the films, and ` +
    `P(hit) ranked hits above flops with AUC ${f.hit_auc.toFixed(3)} (0.5 is chance, 1 is perfect). The comps' ` +
    `median revenue alone had R\u00b2 ${comps.map(([n, r2]) => `${r2.toFixed(3)} (${n} comps)`).join(", ")}. ` +
    "A forecast is a wide range, not a number.";
  const p = context.population;
  const learnt = percent(p.learnt_hit_rate);
  document.getElementById("population-text").textContent = p.hit_rate === null
    ? `The models learnt from TMDB 5000's films, which are more successful than typical films: ${learnt} of ` +
      "them are hits, against about 37% of a broad set of releases. P(hit) is not re-weighted for that here " +
      "(serve.population_hit_rate is not set), so it overstates a typical film's chances."
    : `The models learnt from TMDB 5000's films, which are more successful than typical films (${learnt} are hits); ` +
      `P(hit) here is re-weighted to a hit rate of ${percent(p.hit_rate)} (serve.population_hit_rate).`;
}

async function start() {
  document.getElementById("film-form").addEventListener("submit", forecast);
  const response = await fetch("/forecast/context");
  const context = await response.json();
  if (response.status !== 200) {
    document.getElementById("trust-text").textContent = problem(context);
    return;
  }
  state.context = context;
  setUpLists(context);
  describeTrust(context);
  document.getElementById("example").addEventListener("click", () => fillExample(context.example));
  document.body.dataset.ready = "true";
}

document.addEventListener("DOMContentLoaded", start);
