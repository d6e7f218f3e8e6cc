// The answer, as the page shows it and exports it: every figure is the API's, kept in its
// element's data-value; the charts' numbers also stand in tables (their text equivalents).
import { drawDistribution, drawExplanation, drawSweep } from "./charts.js";
import { chance, dollarsInFull, money, percent, readMoney } from "./money.js";

export const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
export const BUDGET_FACTORS = [0.25, 0.4, 0.5, 0.67, 0.8, 1, 1.25, 1.5, 2, 3];
const signed = (value) => `${value > 0 ? "+" : ""}${value.toFixed(2)}`;
// two decimals, or two figures for a factor too small for them (a tiny budget's \u00d70.000014, never \u00d70.00)
const factor = (value) => `\u00d7${value >= 0.01 || value === 0 ? value.toFixed(2) : value.toPrecision(2)}`;

export function el(tag, attributes = {}, text = null, parent = null) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== null) node.textContent = text;
  if (parent) parent.appendChild(node);
  return node;
}

/**
 * Ask which amount a typed one meant, in the .confirm group beside the field `id` (#id-confirm, its text
 * #id-confirm-text, buttons #id-as-millions and #id-as-typed): "90" most likely means $90M, a typed $500,000
 * most likely itself. The person's answer is taken by onWhichAmount.
 */
export function askWhichAmount(id, dollars, question) {
  const byId = (name) => document.getElementById(name);
  byId(`${id}-confirm-text`).textContent = `${question} Which did you mean?`;
  const millions = byId(`${id}-as-millions`);
  millions.hidden = dollars >= 1e4;
  millions.textContent = `${money(dollars * 1e6)} (${dollars} million)`;
  byId(`${id}-as-typed`).textContent = `${dollarsInFull(dollars)}, as typed`;
  byId(`${id}-confirm`).hidden = false;
  byId(id).setAttribute("aria-invalid", "true");
  (millions.hidden ? byId(`${id}-as-typed`) : millions).focus();
}

/** The two answers to askWhichAmount: the amount in millions (written into the field), or as typed
 * (`keep(dollars)`); `reread()` redraws what the field is read as; then the form is sent again. */
export function onWhichAmount(id, form, keep, reread) {
  const byId = (name) => document.getElementById(name);
  const input = byId(id);
  byId(`${id}-as-millions`).addEventListener("click", () => {
    input.value = dollarsInFull(readMoney(input.value).dollars * 1e6);
    reread();
    byId(form).requestSubmit();
  });
  byId(`${id}-as-typed`).addEventListener("click", () => {
    keep(readMoney(input.value).dollars);
    byId(`${id}-confirm`).hidden = true;
    byId(form).requestSubmit();
  });
}

/** Write the API's value formatted, keeping the value itself in data-value. */
export function show(node, value, format) {
  node.textContent = format(value);
  node.dataset.value = String(value);
  return node;
}

// The film's own budget is the unchanged scenario, {}: its answer is the film's own. A budget is at
// least $1 (the API's floor), even a quarter of a confirmed tiny one.
export const budgetScenarios = (budget) =>
  BUDGET_FACTORS.map((factor) => (factor === 1 ? {} : { budget: Math.max(1, Math.round(budget * factor)) }));

export function monthScenarios(date) {
  const [year, , day] = date.split("-").map(Number);
  return MONTHS.map((_, m) => {
    const last = new Date(Date.UTC(year, m + 1, 0)).getUTCDate();
    const d = String(Math.min(day, last)).padStart(2, "0");
    return { release_date: `${String(year).padStart(4, "0")}-${String(m + 1).padStart(2, "0")}-${d}` };
  });
}

/** A table of numbers: headers, then rows of cells, each text or [value, format]. */
export function numbersTable(container, headers, rows) {
  const table = el("table", { class: "numbers-table" });
  const head = el("tr", {}, null, el("thead", {}, null, table));
  for (const header of headers) el("th", { scope: "col" }, header, head);
  const body = el("tbody", {}, null, table);
  for (const row of rows) {
    const tr = el("tr", {}, null, body);
    row.forEach((cell, i) => {
      const td = el(i === 0 ? "th" : "td", i === 0 ? { scope: "row" } : { class: "number" }, null, tr);
      if (Array.isArray(cell)) show(td, cell[0], cell[1]);
      else td.textContent = cell;
    });
  }
  container.replaceChildren(table);
}

/**
 * The largest effects, biggest first: what the explanation chart and its table show. With the API's
 * `effects`, facts in words and their factor on revenue; else its raw contributions (log revenue).
 * Each item: label, value (log revenue: the bar), shown (the API's number written beside it), format.
 */
const SHOWN_EFFECTS = 8;

function effects(explanation) {
  if (explanation.effects) {
    return explanation.effects
      .filter((effect) => effect.contribution !== 0)
      .slice(0, SHOWN_EFFECTS)
      .map((effect) => ({ label: effect.label, value: effect.contribution, shown: effect.factor, format: factor }));
  }
  return Object.entries(explanation.contributions)
    .filter(([, value]) => value !== 0)
    .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
    .slice(0, SHOWN_EFFECTS)
    .map(([name, value]) => ({ label: name, value, shown: value, format: signed }));
}

/** The dollars the answer's amounts are in: the film's release year's, or the price index's last year's
 * prices for a later film (the API's warning says so too). */
export function filmDollars(film, context) {
  const year = Number(film.release_date.slice(0, 4));
  return year > context.prices_until ? `${context.prices_until} prices` : `${year} dollars`;
}

// The dollars of an explanation's amounts (the API's dollars_of: the models' constant dollars), in words.
const explanationDollars = (explanation, film, context) =>
  (explanation.dollars_of == null ? filmDollars(film, context) : `${explanation.dollars_of} dollars`);

/**
 * Where the explanation's factors start (the typical film's forecast) and, under the chart, the facts not
 * drawn (their number and combined factor) and where all of them end, beside the median, so that the
 * factors can be read against the answer. Every amount is the API's; the combined factor is the
 * exponential of the API's contributions of the facts not drawn.
 */
function drawExplanationWords({ film, answer, context }) {
  const explanation = answer.explanation;
  const start = document.getElementById("explanation-start");
  const rest = document.getElementById("explanation-rest");
  if (explanation.base_revenue === undefined || !explanation.effects) {
    start.textContent = `Each bar adds to the model's log revenue, from its starting point ${signed(explanation.base_value)}.`;
    rest.textContent = "";
    return;
  }
  const dollars = explanationDollars(explanation, film, context);
  start.replaceChildren("It starts from the typical film's forecast, ");
  show(el("strong", { id: "explanation-base" }, null, start), explanation.base_revenue, money);
  start.append(` (${dollars}): what the model expects before it knows anything about this film. Each fact ` +
    "below multiplies it: ×1.35 raises it by 35%, ×0.50 halves it. A factor is how past films with that fact " +
    "did, not what changing it would do: long films were often big films, and a longer cut would not earn more.");
  const drawn = effects(explanation).length;
  const others = explanation.effects.length - drawn;
  const otherContribution = explanation.effects
    .filter((effect) => effect.contribution !== 0)
    .slice(drawn)
    .reduce((sum, effect) => sum + effect.contribution, 0);
  rest.replaceChildren();
  if (others > 0) {
    rest.append(`Drawn: the ${drawn} largest of ${explanation.effects.length} facts. The other ${others} together: `);
    show(el("strong", { id: "explanation-others" }, null, rest), Math.exp(otherContribution), factor);
    rest.append(". ");
  }
  rest.append(`All of them together take ${money(explanation.base_revenue)} to `);
  show(el("strong", { id: "explanation-end" }, null, rest), explanation.revenue, money);
  rest.append(` (${dollars}), the model's own estimate`);
  const answerDollars = filmDollars(film, context);
  if (answerDollars !== dollars) {  // the same estimate in the median's dollars, so the two can be compared
    rest.append(", which is ");
    show(el("strong", { id: "explanation-end-answer-dollars" }, null, rest), explanation.revenue_in_answer_dollars, money);
    rest.append(` in ${answerDollars}`);
  }
  rest.append(`. The median above, ${money(answer.predicted_revenue)} (${answerDollars}), is the middle of the ` +
    "range of outcomes around that estimate");
  // Two trials asked which of the two is "the forecast": the median is the estimate moved by how the films of its
  // budget band, among those the ranges were calibrated on, fared against what the model estimated for them.
  const multiple = answer.predicted_revenue / explanation.revenue_in_answer_dollars;
  if (Math.abs(multiple - 1) >= 0.02) {
    rest.append(`: ${factor(multiple)} the estimate, because among the films the ranges were calibrated on, the ` +
      `middle one of this budget band earned ${multiple > 1 ? "more" : "less"} than the model estimated for it`);
  }
  rest.append(".");
}

function describeFilm(film) {
  const parts = [
    `budget ${dollarsInFull(film.budget)}`, `${film.runtime} minutes`, `released ${film.release_date}`,
    `language ${film.original_language}`,
  ];
  if (film.genres.length) parts.push(film.genres.join(", "));
  if (film.directors.length) parts.push(`directed by ${film.directors.join(", ")}`);
  return `${film.title ? `${film.title}: ` : "The film: "}${parts.join(" \u00b7 ")}.`;
}

function drawDollarsNote(film, context) {
  const year = film.release_date.slice(0, 4);
  const dollars = filmDollars(film, context);
  document.getElementById("dollars-note").textContent = dollars.endsWith("prices")
    ? `Amounts are in ${dollars} (the price index ends in ${context.prices_until}; the film opens in ${year}), ` +
      "unless labelled otherwise."
    : `Amounts are in ${dollars} (the film's release year), unless labelled otherwise.`;
}

function drawSummary(answer, context) {
  show(document.getElementById("median"), answer.predicted_revenue, money);
  show(document.getElementById("low"), answer.revenue_low, money);
  show(document.getElementById("high"), answer.revenue_high, money);
  document.getElementById("interval-label").textContent =
    `${Math.round(answer.interval_coverage * 100)}% interval (revenue falls inside for that share of films)`;
  show(document.getElementById("break-even"), answer.break_even_probability, chance);
  show(document.getElementById("hit"), answer.hit_probability, chance);
  document.getElementById("hit-label").textContent =
    `P(hit): chance the box office exceeds ${context.hit_multiple}\u00d7 the production budget`;
}

const NAME_WARNINGS = new Set(["unknown_name", "not_read_name", "ambiguous_name", "larger_namesake"]);
const NAMES_OPEN = 3;
// How many names of each kind the summary counts, in a producer's words.
const NAME_KINDS = [
  ["unknown_name", "not in our data"],
  ["not_read_name", "not read by the models"],
  ["larger_namesake", "perhaps meant as a larger name"],
  ["ambiguous_name", "written like several known names"],
];

/**
 * The API's warnings above the numbers, and each by the field it concerns. Those about names
 * (their chips say it too) are gathered in one item that counts them by kind and lists, per
 * name, the API's sentence saying what happened to it (shown open while there are few).
 */
function drawWarnings(warnings) {
  const list = document.getElementById("warnings");
  list.replaceChildren();
  const aboutNames = warnings.filter((warning) => NAME_WARNINGS.has(warning.code));
  for (const warning of warnings.filter((w) => !NAME_WARNINGS.has(w.code))) {
    el("li", { "data-code": warning.code, "data-field": warning.field }, warning.message, list);
    const slot = document.querySelector(`[data-warning-for="${CSS.escape(warning.field)}"]`);
    if (slot) slot.textContent = slot.textContent ? `${slot.textContent} ${warning.message}` : warning.message;
  }
  if (!aboutNames.length) return;
  // Open while short: more names than NAMES_OPEN would push the numbers off a phone's screen.
  const open = aboutNames.length <= NAMES_OPEN ? { open: "" } : {};
  const details = el("details", open, null, el("li", { "data-code": "names" }, null, list));
  const kinds = NAME_KINDS.map(([code, said]) => [aboutNames.filter((w) => w.code === code).length, said])
    .filter(([count]) => count > 0).map(([count, said]) => `${count} ${said}`);
  const count = aboutNames.length === 1 ? "1 name" : `${aboutNames.length} names`;
  el("summary", {}, `${count} to check: ${kinds.join(", ")}`, details);
  const messages = el("ul", {}, null, details);
  for (const warning of aboutNames) {
    el("li", { "data-code": warning.code, "data-field": warning.field }, warning.message, messages);
  }
}

/** The producer's result (gross x share - budget - marketing), when the API gives it. */
function drawProducer(answer, film) {
  const section = document.getElementById("producer");
  section.hidden = answer.profit_probability === undefined;
  if (section.hidden) return;
  document.getElementById("producer-terms").textContent =
    `The producer's result = the box office \u00d7 the distributor's share (${percent(answer.distributor_share)}) ` +
    `\u2212 the production budget (${money(film.budget)}) \u2212 marketing, P&A (${money(answer.p_and_a)}). ` +
    (answer.producer_break_even_revenue == null
      ? "No box office a number can hold brings it above zero on these terms. "
      : `It is above zero once the box office passes ${money(answer.producer_break_even_revenue)}: the ` +
        "producer's break-even. ") +
    "Home video, television and streaming are not counted.";
  show(document.getElementById("profit-probability"), answer.profit_probability, chance);
  show(document.getElementById("profit-median"), answer.profit_median, money);
  show(document.getElementById("profit-low"), answer.profit_low, money);
  show(document.getElementById("profit-high"), answer.profit_high, money);
  document.getElementById("profit-interval-label").textContent =
    `Producer's result, ${Math.round(answer.interval_coverage * 100)}% interval`;
}

// A comp's reasons (the API's `reasons`) in words: what it shares with the film, and how far apart they are.
const SHARED = [["shared_genres", "genres"], ["shared_directors", "director"], ["shared_cast", "cast"],
  ["shared_companies", "companies"], ["shared_keywords", "keywords"]];

function reasonsInWords(reasons, context) {
  const said = [];
  for (const [key, word] of SHARED) if (reasons[key]?.length) said.push(`${word}: ${reasons[key].join(", ")}`);
  if (reasons.same_budget_band) said.push(`same budget band (in ${context.cpi_base_year} dollars)`);
  if (reasons.years_apart !== null && reasons.years_apart !== undefined) said.push(`${reasons.years_apart} years apart`);
  return said.join("; ");
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
    el("td", { class: "reasons" }, comp.reasons ? reasonsInWords(comp.reasons, context) : "", row);
  }
  document.getElementById("comps-note").textContent = comps.length
    ? `The ${comps.length} past films released before this one that the model sees as most alike (similarity 1 = seen ` +
      "exactly alike); the last column says what each shares with this film."
    : "No film released before this date meets the comps' constraints set in the form (a film with no genre shares " +
      "none: tick its genres, or untick \u201cshare a genre\u201d), or no comps were asked for.";
}

/** The charts at the width they are shown at; called again when that width changes. */
export function drawCharts({ film, answer, scenarios, context }) {
  const dollars = filmDollars(film, context);
  drawDistribution(document.getElementById("cdf-chart"), answer, film.budget, context.hit_multiple, dollars);
  drawExplanation(document.getElementById("explanation-chart"), effects(answer.explanation));
  const month = Number(film.release_date.split("-")[1]) - 1;
  drawSweep(document.getElementById("month-chart"), MONTHS, scenarios.slice(0, 12), {
    label: (m) => m, axis: "release month", current: month,
  });
  drawSweep(document.getElementById("budget-chart"), sweepBudgets(film), scenarios.slice(12), {
    log: true, label: (b) => money(b), axis: `budget, ${dollars} (log scale)`, current: BUDGET_FACTORS.indexOf(1),
  });
}

const sweepBudgets = (film) => budgetScenarios(film.budget).map((s) => s.budget ?? film.budget);

/**
 * What the budget what-if holds and what it does not: P(profit) at each budget counts P&A as the forecast does
 * (typed in dollars: the same at every budget; as a multiple or by default: that share of each budget, the
 * answer's p_and_a over its budget), and the steps between neighbouring budgets can be the budget bands the
 * distribution is calibrated in, not the films.
 */
function drawBudgetWhatIfNote(film, answer) {
  const multiple = answer.p_and_a / film.budget;
  const pAndA = film.p_and_a !== undefined
    ? `the same P&A at every budget, ${money(answer.p_and_a)}, as typed`
    : `P&A as ${Number(multiple.toFixed(2))}\u00d7 each budget (${film.p_and_a_multiple !== undefined ? "as typed"
      : "the default; type P&A in dollars to hold it fixed"}), so a larger budget also spends more on marketing`;
  document.getElementById("budget-whatif-note").textContent = `P(profit) here counts ${pAndA}. The ranges are `
    + "calibrated in budget bands: a jump between two neighbouring budgets can come from crossing a band's edge "
    + "rather than from the films, so read the trend, not one step.";
}

function drawNumbers({ film, answer, scenarios }) {
  numbersTable(document.getElementById("cdf-numbers"), ["P(revenue \u2264 x)", "revenue x"],
    answer.quantiles.map((q) => [[q.probability, chance], [q.revenue, money]]));
  drawIntervalNote(answer);
  drawBudgetWhatIfNote(film, answer);
  const items = effects(answer.explanation);
  const effectHeader = answer.explanation.effects ? "effect on revenue (factor)" : "effect on log revenue";
  numbersTable(document.getElementById("explanation-numbers"), ["what", effectHeader],
    items.map((item) => [item.label, [item.shown, item.format]]));
  const sweepRows = (labels, answers) =>
    answers.map((a, i) => [labels[i], [a.predicted_revenue, money], [a.hit_probability, chance],
      [a.profit_probability, chance]]);
  numbersTable(document.getElementById("month-numbers"), ["release month", "median revenue", "P(hit)", "P(profit)"],
    sweepRows(MONTHS, scenarios.slice(0, 12)));
  numbersTable(document.getElementById("budget-numbers"), ["budget", "median revenue", "P(hit)", "P(profit)"],
    sweepRows(sweepBudgets(film).map(money), scenarios.slice(12)));
}

/**
 * Why an end of the interval is not the table's point at the same level, when the two read differently: the
 * interval is conformal, its ends taken from the calibration films' errors with the rank rounded outward
 * (which is what makes it hold its share of films); revenue_p10 and revenue_p90 are the distribution's own
 * points, rounded inward (the API's schema says the same). Only the ends that differ are named.
 */
function drawIntervalNote(answer) {
  const note = document.getElementById("cdf-interval-note");
  const share = Math.round(answer.interval_coverage * 100);
  const [lower, upper] = [(1 - answer.interval_coverage) / 2, (1 + answer.interval_coverage) / 2].map(chance);
  const ends = [
    ["bottom", answer.revenue_low, "below", lower, answer.revenue_p10],
    ["top", answer.revenue_high, "above", upper, answer.revenue_p90],
  ].filter(([, end, , , point]) => money(end) !== money(point));
  note.hidden = !ends.length;
  if (note.hidden) return;
  const said = ends.map(([which, end, side, level, point]) =>
    `its ${which}, ${money(end)}, sits a little ${side} the ${level} point, ${money(point)}`);
  note.textContent = `Of the ${share}% interval above, ${said.join("; ")}. To be sure of holding ${share}% of films, `
    + "the interval rounds each end outward among the films it was calibrated on; the table's points all round "
    + "down, which is outward at the bottom (the same figure there) but inward at the top. Plan with the interval; "
    + "read the table as points of the distribution.";
}

export function drawAnswer(drawn) {
  document.getElementById("film-summary").textContent = describeFilm(drawn.film);
  drawDollarsNote(drawn.film, drawn.context);
  drawWarnings(drawn.answer.warnings || []);
  drawSummary(drawn.answer, drawn.context);
  drawProducer(drawn.answer, drawn.film);
  drawComps(drawn.answer.comps || [], drawn.context);
  drawNumbers(drawn);
  if (drawn.answer.explanation) drawExplanationWords(drawn);
  drawCharts(drawn);
}

// ---------------------------------------------------------------- export

// A text cell a spreadsheet would run as a formula is written with a leading apostrophe.
const cell = (value) => {
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

// The answer's is_hit says what the classifier decided (its schema's meaning), not that the film makes money: a
// spreadsheet's reader sees only the label, so the label says it.
const CSV_LABELS = {
  is_hit: "is_hit (P(hit) at or above the classifier's threshold; not the producer's result)",
};

/** The whole answer as CSV rows (part, item, field, value): the API's values, unformatted. */
export function answerCsv({ film, answer, scenarios, context }) {
  const rows = [["part", "item", "field", "value"]];
  for (const [field, value] of Object.entries(film)) {
    for (const one of Array.isArray(value) ? value : [value]) rows.push(["film", "", field, one]);
  }
  for (const field of ["predicted_revenue", "revenue_low", "revenue_high", "interval_coverage", "revenue_p10",
    "revenue_p90", "break_even_probability", "hit_probability", "is_hit", "distributor_share", "p_and_a",
    "producer_break_even_revenue", "profit_probability", "profit_median", "profit_low", "profit_high"]) {
    if (answer[field] !== undefined) rows.push(["forecast", "", CSV_LABELS[field] ?? field, answer[field]]);
  }
  for (const warning of answer.warnings || []) rows.push(["warning", warning.field, warning.code, warning.message]);
  for (const reading of answer.names || []) {
    rows.push([`name ${reading.field}`, reading.asked, reading.match, reading.read_as]);
  }
  for (const q of answer.quantiles || []) rows.push(["quantile", q.probability, "revenue", q.revenue]);
  for (const [name, value] of Object.entries(answer.explanation?.contributions || {})) {
    rows.push(["explanation", name, "contribution_log_revenue", value]);
  }
  for (const effect of answer.explanation?.effects || []) rows.push(["effect", effect.label, "factor", effect.factor]);
  for (const comp of answer.comps || []) {
    for (const field of ["title", "release_date", "budget", "revenue", "real_revenue", "revenue_multiple", "is_hit",
      "similarity"]) {
      rows.push(["comp", comp.id, field, comp[field]]);
    }
    if (comp.reasons) rows.push(["comp", comp.id, "reasons", reasonsInWords(comp.reasons, context)]);
  }
  const labels = [...monthScenarios(film.release_date).map((s) => s.release_date), ...sweepBudgets(film)];
  scenarios.forEach((s, i) => {
    const part = i < 12 ? "what-if release_date" : "what-if budget";
    for (const field of ["predicted_revenue", "hit_probability", "profit_probability"]) {
      rows.push([part, labels[i], field, s[field]]);
    }
  });
  return `${rows.map((row) => row.map(cell).join(",")).join("\r\n")}\r\n`;
}
