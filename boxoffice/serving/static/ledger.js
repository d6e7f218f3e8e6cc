// The ledger page: a client of the ledger's API (/ledger/...), behind the token token.js holds.
// Slates, a slate's films a page at a time (the API's pages and filters), two to four forecasts
// side by side, recording what a film earned, and the slate's track record. Every number shown
// is the API's (kept in its element's data-value); the page computes none. Elements are built
// with textContent and attributes only (names are shown as typed, markup included).
import { askWhichAmount, el, numbersTable, onWhichAmount, show } from "./answer.js";
import { drawTrackRecord } from "./charts.js";
import { chance, dollarsInFull, money, percent, readMoney } from "./money.js";
import { forgetToken, heldToken, keepToken, ledgerCall, NOT_ACCEPTED, refusal, takeTokenFromAddress } from "./token.js";

const byId = (id) => document.getElementById(id);
const COMPARED = { fewest: 2, most: 4 };
const CHART_FILMS = 500; // the API's largest page: the chart shows one page of released films
const state = {
  slate: null, afters: [0], next: null, rows: new Map(), ticked: new Map(), actualFor: null, record: [],
  confirmedRevenue: null, revenueFloor: null,
};
// An amount this many times beyond the forecast's interval is asked about (the API's FAR_OUTSIDE, which
// records it with a warning): an interval misses by a factor of two or three, a unit typo by a thousand.
const FAR_OUTSIDE = 10;
// An actual revenue in millions ("$95.0M"), or every dollar of a small one ("$95", not "$0.0M").
const revenueText = (dollars) => (Math.abs(dollars) >= 1e6 ? money(dollars) : dollarsInFull(dollars));

/** Mark the page busy while a request is out (tests and assistive technology wait for it). */
async function busy(work) {
  document.body.dataset.busy = "true";
  try {
    return await work();
  } finally {
    document.body.dataset.busy = "false";
  }
}

// ---------------------------------------------------------------- the token

function askForToken(problem) {
  byId("token-form").hidden = false;
  byId("token-held").hidden = true;
  for (const id of ["slates-section", "slate-section", "actual-section", "compare-section", "record-section"]) {
    byId(id).hidden = true;
  }
  byId("token-problem").textContent = problem || "";
  const input = byId("token-input");
  input.value = "";
  if (problem) input.setAttribute("aria-invalid", "true");
  else input.removeAttribute("aria-invalid");
  input.focus();
}

/** A refused request: a token the ledger does not know sends the person back to the token form. */
function refused(status, answer, slot) {
  if (status === 401) {
    forgetToken();
    askForToken(NOT_ACCEPTED);
    return;
  }
  slot.textContent = refusal(status, answer);
  slot.focus?.();
}

async function useToken(event) {
  event.preventDefault();
  const typed = byId("token-input").value.trim();
  if (!typed) return askForToken("Type or paste a token first.");
  keepToken(typed);
  await showSlates();
}

// ---------------------------------------------------------------- slates

async function showSlates() {
  const { status, answer } = await busy(() => ledgerCall("GET", "/ledger/slates"));
  if (status !== 200) return refused(status, answer, byId("slates-note"));
  byId("token-form").hidden = true;
  byId("token-problem").textContent = "";
  byId("token-input").removeAttribute("aria-invalid");
  byId("token-held").hidden = false;
  byId("slates-section").hidden = false;
  const list = byId("slates");
  list.replaceChildren();
  byId("slates-note").textContent = answer.slates.length
    ? "Choose a slate to see its films."
    : "No slate yet: save a forecast into one from the forecast page.";
  for (const slate of answer.slates) {
    const item = el("li", {}, null, list);
    const open = el("button", { type: "button", class: "slate", "data-slate": slate.name }, slate.name, item);
    show(el("span", { class: "count" }, null, open), slate.forecasts, (n) => ` (${n} ${n === 1 ? "film" : "films"})`);
    open.addEventListener("click", () => openSlate(slate.name));
  }
  const asked = new URLSearchParams(location.search).get("slate");
  if (asked && !state.slate) await openSlate(asked);
  return undefined;
}

async function openSlate(name) {
  state.slate = name;
  state.afters = [0];
  state.ticked.clear();
  history.replaceState(null, "", `/ledger?${new URLSearchParams({ slate: name })}`);
  byId("slate-title").textContent = `Slate: ${name}`;
  byId("slate-section").hidden = false;
  byId("compare-section").hidden = true;
  byId("actual-section").hidden = true;
  byId("slate-news").replaceChildren();
  await showPage();
  await showRecord();
  byId("slate-title").focus();
}

// ---------------------------------------------------------------- a slate, a page at a time

function pageQuery(after) {
  const query = new URLSearchParams({ slate: state.slate, limit: byId("limit").value, after: String(after) });
  const contains = byId("name_contains").value;
  if (contains.trim()) query.set("name_contains", contains);
  if (byId("has_actual").value) query.set("has_actual", byId("has_actual").value);
  if (byId("model").value.trim()) query.set("model", byId("model").value.trim());
  if (byId("deleted").checked) query.set("deleted", "true");
  return query;
}

function clearErrors(container) {
  for (const node of container.querySelectorAll(".error")) node.textContent = "";
  for (const node of container.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
}

// What a field needs, said when it is left empty (pydantic says "Field required").
const NEEDED = {
  revenue: "Type the worldwide revenue, such as 825.5M or $95 million.",
  known_on: "Choose the date the figure was known.",
  source: "Say where the figure comes from, such as studio or Box Office Mojo.",
};

/** One message a person can act on: the API's own where it is worded, pydantic's generic ones in words. */
function inWords(error, field) {
  const { type, message } = error;
  if (type === "missing" || type === "string_too_short") return NEEDED[field] || "This is needed.";
  if (field === "revenue" && type === "greater_than") return "A revenue is more than $0.";
  if (type === "float_type" || type === "float_parsing") return "Type a number.";
  if (type.startsWith("date_")) return "Type a date as YYYY-MM-DD.";
  const worded = message.replace(/^Value error, /, "").replace(/^Input should be /, "It should be ");
  return worded.charAt(0).toUpperCase() + worded.slice(1);
}

/** The API's 422: one message for each field ('query.name_contains', 'revenue'), the field marked invalid. */
function showFieldErrors(errors, container, general) {
  let first = null;
  const said = new Set();
  for (const error of errors) {
    const field = error.field.replace(/^(query|body)\./, "");
    if (said.has(field)) continue;
    said.add(field);
    const slot = container.querySelector(`[data-error-for="${CSS.escape(field)}"]`);
    const target = slot || general;
    const text = slot ? inWords(error, field) : `${error.field}: ${inWords(error, field)}`;
    target.textContent = target.textContent ? `${target.textContent}; ${text}` : text;
    const input = slot ? byId(field) : null;
    input?.setAttribute("aria-invalid", "true");
    first ??= input || general;
  }
  first?.focus();
}

async function showPage() {
  const section = byId("slate-section");
  clearErrors(section);
  const after = state.afters[state.afters.length - 1];
  const { status, answer } = await busy(() => ledgerCall("GET", `/ledger/forecasts?${pageQuery(after)}`));
  if (status === 422 && Array.isArray(answer.detail)) return showFieldErrors(answer.detail, section, byId("slate-problem"));
  if (status !== 200) return refused(status, answer, byId("slate-problem"));
  state.next = answer.next_after;
  state.rows = new Map(answer.forecasts.map((forecast) => [forecast.id, forecast]));
  const body = document.querySelector("#slate-table tbody");
  body.replaceChildren();
  for (const forecast of answer.forecasts) drawRow(body, forecast);
  const first = (state.afters.length - 1) * Number(byId("limit").value);
  byId("page-status").textContent = answer.forecasts.length
    ? `Films ${first + 1} to ${first + answer.forecasts.length} of ${answer.total} (oldest saved first).`
    : "No film of this slate matches.";
  byId("page-status").dataset.value = String(answer.total);
  byId("previous-page").disabled = state.afters.length === 1;
  byId("next-page").disabled = answer.next_after === null;
  return undefined;
}

/** The API's value formatted, or a dash where it gives none (no actual result yet). */
function optional(node, value, format) {
  if (value === null || value === undefined) node.textContent = "\u2014";
  else show(node, value, format);
}

function drawRow(body, forecast) {
  const { answer, film } = forecast.current;
  const row = el("tr", { "data-id": String(forecast.id) }, null, body);
  // the name's cell stays in view while the table scrolls sideways; its tick chooses the film for Compare
  const name = el("th", { scope: "row", class: "name" }, null, row);
  const tick = el("input", { type: "checkbox", "aria-label": `Compare ${forecast.name}` }, null, name);
  name.append(forecast.name);
  tick.checked = state.ticked.has(forecast.id);
  tick.addEventListener("change", () => {
    if (tick.checked) state.ticked.set(forecast.id, forecast.name);
    else state.ticked.delete(forecast.id);
    byId("compare-problem").textContent = "";
  });
  drawActions(el("td", { class: "actions-cell" }, null, row), forecast);
  el("td", {}, film.release_date, row);
  show(el("td", { class: "number median" }, null, row), answer.predicted_revenue, money);
  const interval = el("td", { class: "number interval-cell" }, null, row);
  show(el("span", { class: "low" }, null, interval), answer.revenue_low, money);
  interval.appendChild(document.createTextNode(" to "));
  show(el("span", { class: "high" }, null, interval), answer.revenue_high, money);
  show(el("td", { class: "number hit" }, null, row), answer.hit_probability, chance);
  optional(el("td", { class: "number profit" }, null, row), answer.profit_probability, chance);
  const actual = forecast.actual;
  optional(el("td", { class: "number actual" }, null, row), actual?.revenue, revenueText);
  el("td", { class: "known-on" }, actual ? actual.known_on : "\u2014", row);
  el("td", { class: "source" }, actual ? actual.source : "\u2014", row);
  show(el("td", { class: "number revisions" }, null, row), forecast.revision_count, String);
}

/** A live film: record (or change) its actual result, re-forecast it; a deleted one: restore it. */
function drawActions(cell, forecast) {
  const button = (cls, verb, label, action) => {
    el("button", { type: "button", class: cls, "aria-label": `${label} ${forecast.name}` }, verb, cell)
      .addEventListener("click", action);
  };
  if (forecast.deleted_at) {
    button("restore", "Restore", "Restore", () => revise(forecast, "restore"));
    return;
  }
  const verb = forecast.actual ? "Change" : "Record";
  button("record", verb, `${verb} the actual result of`, () => openActual(forecast));
  // Once the actual result is in, the forecast is final (a new one would know the answer): the API says 409.
  if (!forecast.actual) {
    button("reforecast", "Re-forecast", "Re-forecast with the current models:", () => revise(forecast, "reforecast"));
  }
}

/** Re-forecast (a new revision by the current models; the old ones kept) or restore a film, then say what changed. */
async function revise(forecast, action) {
  const { status, answer } = await busy(() => ledgerCall("POST", `/ledger/forecasts/${forecast.id}/${action}`));
  if (status !== 200) return refused(status, answer, byId("slate-problem"));
  await showPage();
  const news = byId("slate-news");
  news.replaceChildren();
  if (action === "restore") {
    news.textContent = `${answer.name} is restored to the slate.`;
  } else {
    news.append(`${answer.name} re-forecast by the current models: revision ${answer.current.number}, median `);
    show(el("span", { class: "news-median" }, null, news), answer.current.answer.predicted_revenue, money);
    news.append(" (the earlier revisions are kept).");
  }
  await showRecord();
  document.querySelector(`#slate-table tr[data-id="${forecast.id}"] button.${action === "restore" ? "record" : action}`)
    ?.focus();
  return undefined;
}

async function turnPage(forward) {
  if (forward && state.next !== null) state.afters.push(state.next);
  else if (!forward && state.afters.length > 1) state.afters.pop();
  await showPage();
  byId("page-status").focus?.();
}

/** The slate's live forecasts as the API exports them (CSV), saved as a file: the token goes in a header. */
async function exportSlate() {
  const problem = byId("slate-problem");
  problem.textContent = "";
  const path = `/ledger/export.csv?${new URLSearchParams({ slate: state.slate })}`;
  const response = await busy(() => fetch(path, { headers: { Authorization: `Bearer ${heldToken() ?? ""}` } }));
  if (!response.ok) {
    const answer = await response.json().catch(() => ({ detail: `HTTP ${response.status}` }));
    return refused(response.status, answer, problem);
  }
  const url = URL.createObjectURL(await response.blob());
  const link = el("a", { href: url, download: `${state.slate.replace(/[^\w.-]+/g, "_") || "slate"}.csv` }, null, document.body);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
  return undefined;
}

// ---------------------------------------------------------------- side by side

const listed = (names) => (names?.length ? names.join(", ") : "\u2014");
const optionalNumber = (value, format) => (value === null || value === undefined ? "\u2014" : [value, format]);
const SHORT_HASH = 12;

/** A time of the API's (ISO 8601, UTC) to the second: "2026-12-05 01:55:17 UTC". */
const toTheSecond = (iso) => `${iso.slice(0, 19).replace("T", " ")} UTC`;

// Each row: its label and the cell of a forecast (text, [value, format], or a function drawing into the cell).
const COMPARE_ROWS = [
  ["Slate", (f) => f.slate],
  ["Released", (f) => f.current.film.release_date],
  ["Budget", (f) => [f.current.film.budget, money]],
  ["Runtime (minutes)", (f) => [f.current.film.runtime, String]],
  ["Original language", (f) => f.current.film.original_language],
  ["Genres", (f) => listed(f.current.film.genres)],
  ["Directors", (f) => listed(f.current.film.directors)],
  ["Lead cast", (f) => listed(f.current.film.cast)],
  ["Production companies", (f) => listed(f.current.film.production_companies)],
  ["Keywords", (f) => listed(f.current.film.keywords)],
  ["Distributor's share", (f) => optionalNumber(f.current.film.distributor_share, percent)],
  ["Marketing (P&A)", (f) => optionalNumber(f.current.film.p_and_a, money)],
  ["Marketing, x budget", (f) => optionalNumber(f.current.film.p_and_a_multiple, (x) => `${x}x`)],
  ["Median revenue", (f) => [f.current.answer.predicted_revenue, money]],
  ["Interval low", (f) => [f.current.answer.revenue_low, money]],
  ["Interval high", (f) => [f.current.answer.revenue_high, money]],
  ["Interval coverage", (f) => [f.current.answer.interval_coverage, percent]],
  ["P(hit)", (f) => [f.current.answer.hit_probability, chance]],
  ["P(profit)", (f) => [f.current.answer.profit_probability, chance]],
  ["Actual revenue", (f) => (f.actual ? [f.actual.revenue, revenueText] : "\u2014")],
  ["Actual known on", (f) => (f.actual ? f.actual.known_on : "\u2014")],
  ["Revision", (f) => [f.current.number, String]],
  ["Forecast made", (f) => toTheSecond(f.current.created_at)],
  ["Models (serving hash)", (f) => (cell) => servingHash(cell, f.current.model.serving_hash)],
];

/** The hash's first characters (enough to tell models apart), the whole of it one click away. */
function servingHash(cell, hash) {
  const details = el("details", { class: "hash" }, null, cell);
  el("summary", { title: hash }, hash.slice(0, SHORT_HASH), details);
  el("code", {}, hash, details);
}

async function compare() {
  const ids = [...state.ticked.keys()];
  const problem = byId("compare-problem");
  problem.textContent = "";
  if (ids.length < COMPARED.fewest || ids.length > COMPARED.most) {
    problem.textContent = `Tick ${COMPARED.fewest} to ${COMPARED.most} forecasts to compare (${ids.length} ticked).`;
    return;
  }
  const read = await busy(() => Promise.all(ids.map((id) => ledgerCall("GET", `/ledger/forecasts/${id}`))));
  const failed = read.find(({ status }) => status !== 200);
  if (failed) return refused(failed.status, failed.answer, problem);
  const forecasts = read.map(({ answer }) => answer);
  const table = byId("compare-table");
  table.replaceChildren();
  const head = el("tr", {}, null, el("thead", {}, null, table));
  el("th", { scope: "col" }, "Forecast", head);
  for (const forecast of forecasts) el("th", { scope: "col", "data-id": String(forecast.id) }, forecast.name, head);
  const body = el("tbody", {}, null, table);
  for (const [label, value] of COMPARE_ROWS) {
    const row = el("tr", {}, null, body);
    el("th", { scope: "row" }, label, row);
    for (const forecast of forecasts) {
      const cell = value(forecast);
      const td = el("td", Array.isArray(cell) ? { class: "number" } : {}, null, row);
      if (Array.isArray(cell)) optional(td, cell[0], cell[1]);
      else if (typeof cell === "function") cell(td);
      else td.textContent = cell;
    }
  }
  byId("compare-section").hidden = false;
  byId("compare-title").focus();
  return undefined;
}

// ---------------------------------------------------------------- what the film earned

function openActual(forecast) {
  state.actualFor = forecast;
  state.confirmedRevenue = null;
  const form = byId("actual-form");
  clearErrors(form);
  byId("actual-problem").textContent = "";
  byId("actual-title").textContent = `What ${forecast.name} earned`;
  byId("revenue").value = forecast.actual ? String(forecast.actual.revenue) : "";
  byId("known_on").value = forecast.actual ? forecast.actual.known_on : "";
  byId("known_on").max = today(); // the API refuses a figure known after today
  byId("source").value = forecast.actual ? forecast.actual.source : "";
  understandRevenue();
  byId("actual-section").hidden = false;
  byId("actual-title").focus();
  knowRevenueFloor();
}

const today = () => {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`;
};

/** The data's low revenue (the API warns below it), from /model: the open description of the models. */
async function knowRevenueFloor() {
  if (state.revenueFloor !== null) return;
  const response = await fetch("/model").catch(() => null);
  const described = response?.ok ? await response.json() : null;
  const limits = described?.pre_release?.data_limits;
  if (limits?.real_revenue) state.revenueFloor = { dollars: limits.real_revenue.low, of: limits.dollars_of };
}

function understandRevenue() {
  const read = readMoney(byId("revenue").value);
  byId("revenue-understood").textContent = read.dollars === undefined ? "" : `read as ${revenueText(read.dollars)}`;
  byId("revenue-confirm").hidden = true;
  return read;
}

/** Why an amount is hard to believe for this film (null: it is not): as /forecast asks about a tiny budget. */
function doubtAbout(dollars, forecast) {
  const { revenue_low: low, revenue_high: high } = forecast.current.answer;
  const floor = state.revenueFloor;
  if (dollars * FAR_OUTSIDE < low) {
    return `${dollarsInFull(dollars)} is far below this film's forecast (its 80% interval starts at ${money(low)}).`;
  }
  if (floor && dollars < floor.dollars) {
    return `${dollarsInFull(dollars)} is below almost every film's revenue in the data (from ` +
      `${dollarsInFull(Math.round(floor.dollars))} in ${floor.of} dollars).`;
  }
  if (dollars > high * FAR_OUTSIDE) {
    return `${dollarsInFull(dollars)} is far above this film's forecast (its 80% interval ends at ${money(high)}).`;
  }
  return null;
}

async function recordActual(event) {
  event.preventDefault();
  const form = byId("actual-form");
  clearErrors(form);
  const read = understandRevenue();
  if (read.problem) return showFieldErrors([{ field: "revenue", message: read.problem, type: "money" }], form, byId("actual-problem"));
  if (read.dollars > 0 && read.dollars !== state.confirmedRevenue) {
    const doubt = doubtAbout(read.dollars, state.actualFor);
    if (doubt) return askWhichAmount("revenue", read.dollars, doubt);
  }
  const body = { revenue: read.dollars, known_on: byId("known_on").value, source: byId("source").value };
  if (read.dollars === undefined) delete body.revenue;
  if (!body.known_on) delete body.known_on;
  const { id, name } = state.actualFor;
  const { status, answer } = await busy(() => ledgerCall("PUT", `/ledger/forecasts/${id}/actual`, body));
  if (status === 422 && Array.isArray(answer.detail)) {
    if (answer.detail.some((error) => error.field === "revenue")) byId("revenue-understood").textContent = "";
    return showFieldErrors(answer.detail, form, byId("actual-problem"));
  }
  if (status !== 200) return refused(status, answer, byId("actual-problem"));
  byId("actual-section").hidden = true;
  await showPage();
  sayRecorded(name, answer.warnings || []);
  await showRecord();
  document.querySelector(`#slate-table tr[data-id="${id}"] button.record`)?.focus();
  return undefined;
}

/** The recorded result, and what the API found surprising about it (recorded all the same). */
function sayRecorded(name, warnings) {
  const news = byId("slate-news");
  news.replaceChildren();
  const said = { 0: ".", 1: ", with a warning:" }[warnings.length] ?? ", with warnings:";
  news.append(`The actual result of ${name} is recorded${said}`);
  const list = el("ul", { class: "warnings" }, null, news);
  for (const warning of warnings) el("li", { "data-code": warning.code }, warning.message, list);
}

function closeActual() {
  const id = state.actualFor?.id;
  byId("actual-section").hidden = true;
  document.querySelector(`#slate-table tr[data-id="${id}"] button.record`)?.focus();
}

// ---------------------------------------------------------------- the track record

const decimals = (digits) => (value) => value.toFixed(digits);
const inPercent = (value) => `${value.toFixed(1)}%`;

/** A figure of the API's in the summary list (absent ones, such as R² of a single film, say so). */
function figure(list, label, value, format, key) {
  const item = el("div", {}, null, list);
  el("dt", {}, label, item);
  const dd = el("dd", { "data-figure": key }, null, item);
  optional(dd, value, format);
}

async function showRecord() {
  const slate = state.slate;
  const films = new URLSearchParams({ slate, has_actual: "true", limit: String(CHART_FILMS) });
  const [record, released] = await busy(() => Promise.all([
    ledgerCall("GET", `/ledger/track_record?${new URLSearchParams({ slate })}`),
    ledgerCall("GET", `/ledger/forecasts?${films}`),
  ]));
  const failed = [record, released].find(({ status }) => status !== 200);
  if (failed) return refused(failed.status, failed.answer, byId("slate-problem"));
  const section = byId("record-section");
  section.hidden = false;
  const overall = record.answer.overall;
  const warned = byId("record-warnings");
  warned.replaceChildren();
  for (const warning of record.answer.warnings || []) el("li", { "data-code": warning.code }, warning.message, warned);
  const list = byId("record-figures");
  list.replaceChildren();
  byId("record-figure").hidden = overall === null;
  if (overall === null) {
    byId("record-summary").textContent = "No film of this slate has an actual result yet: record one to start its track record.";
    byId("models-table").replaceChildren();
    byId("calibration-table").replaceChildren();
    return undefined;
  }
  const shown = released.answer.forecasts;
  byId("record-summary").textContent = released.answer.total > shown.length
    ? `The chart shows the first ${shown.length} of the ${released.answer.total} films with an actual result; the figures cover all.`
    : "Over the films with an actual result, each at its current forecast, as the pipeline reports its forward test.";
  figure(list, "Films with an actual result", overall.films, String, "films");
  figure(list, "R\u00b2 of log revenue", overall.log_revenue?.r2, decimals(3), "r2");
  figure(list, "Median absolute error of revenue", overall.median_abs_pct_error, inPercent, "median_abs_pct_error");
  figure(list, `Inside the interval (nominal ${percent(overall.interval.nominal)})`, overall.interval.covered, percent, "covered");
  figure(list, "Brier score of P(hit) (lower is better)", overall.hit.brier, decimals(4), "brier");
  figure(list, "Brier score of a constant P(hit) at the hit rate", overall.hit.constant_brier, decimals(4), "constant_brier");
  state.record = shown;
  drawTrackRecord(byId("record-chart"), recordPoints(shown));
  numbersTable(byId("record-numbers"), ["film", "actual revenue", "median forecast", "interval low", "interval high"],
    shown.map((f) => [f.name, [f.actual.revenue, money], [f.current.answer.predicted_revenue, money],
      [f.current.answer.revenue_low, money], [f.current.answer.revenue_high, money]]));
  drawModels(record.answer.models);
  numbersTable(byId("calibration-table"), ["P(hit) from", "to", "films", "mean P(hit)", "hit rate"],
    overall.calibration.map((band) => [percent(band.from), [band.to, percent], [band.films, String],
      [band.mean_hit_probability, percent], [band.hit_rate, percent]]));
  return undefined;
}

const recordPoints = (forecasts) => forecasts.map((f) => ({
  name: f.name, actual: f.actual.revenue, median: f.current.answer.predicted_revenue,
  low: f.current.answer.revenue_low, high: f.current.answer.revenue_high,
}));

function drawModels(models) {
  const rows = models.map((m) => [
    `${m.serving_hash.slice(0, 12)} (commit ${m.commit.slice(0, 9)})`, [m.films, String],
    m.log_revenue ? [m.log_revenue.r2, decimals(3)] : "\u2014", [m.median_abs_pct_error, inPercent],
    [m.interval.covered, percent], [m.hit.brier, decimals(4)], [m.hit.constant_brier, decimals(4)],
  ]);
  numbersTable(byId("models-table"), ["models", "films", "R\u00b2 log revenue", "median abs. error", "inside interval",
    "Brier P(hit)", "Brier constant"], rows);
}

// ---------------------------------------------------------------- start

function setUp() {
  byId("token-form").addEventListener("submit", useToken);
  byId("token-forget").addEventListener("click", () => {
    forgetToken();
    state.slate = null;
    askForToken();
  });
  byId("filters").addEventListener("submit", async (event) => {
    event.preventDefault();
    state.afters = [0];
    byId("slate-news").replaceChildren();
    await showPage();
  });
  byId("previous-page").addEventListener("click", () => turnPage(false));
  byId("next-page").addEventListener("click", () => turnPage(true));
  byId("compare").addEventListener("click", compare);
  byId("actual-form").addEventListener("submit", recordActual);
  byId("actual-cancel").addEventListener("click", closeActual);
  byId("revenue").addEventListener("input", understandRevenue);
  onWhichAmount("revenue", "actual-form", (dollars) => { state.confirmedRevenue = dollars; }, understandRevenue);
  byId("export").addEventListener("click", exportSlate);
  // a link pasted into a tab already on /ledger changes only the fragment: take its token then too
  window.addEventListener("hashchange", async () => {
    if (!takeTokenFromAddress()) return;
    state.slate = null;
    await showSlates();
  });
  let width = window.innerWidth;
  window.addEventListener("resize", () => {
    if (window.innerWidth === width) return;
    width = window.innerWidth;
    if (state.record.length && !byId("record-section").hidden) drawTrackRecord(byId("record-chart"), recordPoints(state.record));
  });
}

async function start() {
  setUp();
  takeTokenFromAddress();
  if (heldToken()) await showSlates();
  else askForToken();
  document.body.dataset.ready = "true";
}

start();
