// The forecast page: a client of the boxoffice API. Every number shown comes from
// /predict/pre_release and /predict/pre_release/scenarios (answer.js draws them); this module
// reads the form, asks, says what went wrong, and keeps the film in the page's URL.
// Elements are built with textContent and attributes only (never HTML from data); nothing is
// inline (the page's Content-Security-Policy forbids it).
import {
  answerCsv, askWhichAmount, budgetScenarios, drawAnswer, drawCharts, el, monthScenarios, onWhichAmount,
} from "./answer.js";
import { dollarsInFull, money, percent, readMarketing, readMoney, readShare } from "./money.js";
import { heldToken, ledgerCall, refusal } from "./token.js";

// The form's lists of names: field of the API body -> its label.
const LIST_LABELS = {
  production_companies: "Production companies",
  directors: "Directors",
  cast: "Lead cast, in billing order",
  keywords: "Keywords",
};
const LISTS = Object.keys(LIST_LABELS);
const TYPED = ["title", "runtime", "release_date", "original_language"];
// The comps' constraints: query parameters of /predict/pre_release, kept in the page's URL too.
const COMP_FLAGS = ["comps_share_genre", "comps_same_budget_band"];
// kept: the names (field\u0000name) a person chose to keep as typed over a larger namesake, not asked about again.
const state = { context: null, names: {}, readings: new Map(), confirmedBudget: null, kept: new Set(), drawn: null };
const byId = (id) => document.getElementById(id);

// ---------------------------------------------------------------- names

function addName(field, name) {
  const value = name.trim();
  if (!value) return;
  state.names[field].push(value);
  drawChips(field);
  readNames(field);
}

// A name's reading depends on its place in the list (cast billed after the models' first few is not read).
const readingKey = (field, position, name) => `${field}\u0000${position}\u0000${name}`;

/** Ask the API how each name of a list is read (GET /names), for those whose chip does not say yet. */
async function readNames(field) {
  const asked = state.names[field].map((name, position) => ({ name, position }))
    .filter(({ name, position }) => !state.readings.has(readingKey(field, position, name)));
  await Promise.all(asked.map(async ({ name, position }) => {
    const query = new URLSearchParams({ field, name, position: String(position) });
    const response = await fetch(`/names?${query}`).catch(() => null);
    if (response && response.status === 200) state.readings.set(readingKey(field, position, name), await response.json());
  }));
  if (asked.length) drawChipsInPlace(field);
}

/**
 * Redraw a list's chips when their readings arrive, keeping what follows the list (its input, the Forecast
 * button) where it was on the screen: a reading grows its chip, and on a phone a person may be tapping
 * Forecast just then. Chromium keeps the content in view still when what grew is above the screen, not when
 * it is on it; so the page scrolls by whatever is left over, unless the list is below the screen.
 */
function drawChipsInPlace(field) {
  const follower = byId(`${field}-input`);
  const before = follower.getBoundingClientRect().top;
  const inView = byId(`${field}-chips`).getBoundingClientRect().top < window.innerHeight;
  drawChips(field);
  const moved = follower.getBoundingClientRect().top - before;
  if (inView && moved) window.scrollBy(0, moved);
}

// The data's last year (the API's /forecast/context), or null: a name's films after it are not counted.
function dataEnds() {
  const last = state.context?.data_limits?.release_dates?.last;
  return last ? last.slice(0, 4) : null;
}

// How the API read a name: 'known', 'known spelling of ...', 'not in our data'.
const READINGS = {
  exact: (reading) => (reading.suggestions.length ? "known, with few films" : "known"),
  known_spelling: (reading) => `known spelling of ${reading.read_as}`,
  unknown: () => (dataEnds() ? `not in our data (which ends in ${dataEnds()}): no earlier film counted`
    : "not in our data: no earlier film counted"),
  // A keyword the models have no flag for is still compared between films: a comp's reasons may name it.
  not_read: (reading) => (reading.field === "keywords" ? "not used by the models (a comp's reasons may still name it)"
    : "not used by the models"),
};
// The lists whose known names bring their earlier films (a track record); keywords bring none.
const RECORDED = ["production_companies", "directors", "cast"];

function drawChips(field) {
  const list = byId(`${field}-chips`);
  // A reading arrives while a person is on the list: the focus stays on the button it was on.
  const focused = list.contains(document.activeElement) ? document.activeElement.getAttribute("aria-label") : null;
  list.replaceChildren();
  state.names[field].forEach((name, index) => {
    const reading = state.readings.get(readingKey(field, index, name));
    const chip = el("li", { class: `chip${reading ? ` chip-${reading.match}` : ""}` }, null, list);
    el("span", { class: "chip-name" }, name, chip);
    if (reading) drawReading(chip, field, index, reading);
    const remove = el("button", { type: "button", class: "remove", "aria-label": `Remove ${name}` }, "\u00d7", chip);
    remove.addEventListener("click", () => removeName(field, index));
  });
  if (focused) [...list.querySelectorAll("button")].find((b) => b.getAttribute("aria-label") === focused)?.focus();
}

function drawReading(chip, field, index, reading) {
  let said = READINGS[reading.match](reading);
  // A known spelling's alternatives are the other known names written the same way (it went to the largest);
  // an exact name's are its larger namesakes, offered below with the suggestions.
  const others = reading.alternatives;
  if (others.length && reading.match === "known_spelling") {
    said += `, the largest of the names written so (also ${others.join(", ")})`;
  }
  // A known name's films after the data's end are not in its record (a director known for 2016's films only).
  if (RECORDED.includes(field) && ["exact", "known_spelling"].includes(reading.match) && dataEnds()) {
    said += `; its films to ${dataEnds()} counted`;
  }
  el("span", { class: "chip-reading" }, said, chip);
  offerSplit(chip, field, index, reading);
  if (!reading.suggestions.length) return;
  const offer = el("span", { class: "suggestions" }, "did you mean ", chip);
  for (const suggestion of reading.suggestions) {
    const use = el("button", { type: "button", class: "suggestion", "aria-label": `Use ${suggestion} instead of ${reading.asked}` },
      suggestion, offer);
    use.addEventListener("click", () => useName(field, index, suggestion));
  }
}

/** The parts of a name typed with commas ("Kevin Hart, Rebel Wilson"), or null when it has one part. */
function commaParts(name) {
  const parts = name.split(",").map((part) => part.trim()).filter(Boolean);
  return parts.length > 1 ? parts : null;
}

/**
 * An unknown name with commas in it may be several names typed in one box: its chip offers to split it.
 * Never done unasked: "Sammy Davis, Jr." is one name, and a company's name may end in ", Inc.".
 */
function offerSplit(chip, field, index, reading) {
  const parts = commaParts(reading.asked);
  if (reading.match !== "unknown" || !RECORDED.includes(field) || !parts) return;
  const offer = el("span", { class: "suggestions" }, "several names? ", chip);
  const split = el("button", { type: "button", class: "suggestion",
    "aria-label": `Split ${reading.asked} into ${parts.length} names: ${parts.join("; ")}` }, "split at the commas", offer);
  split.addEventListener("click", () => splitName(field, index, parts));
}

/** A chip's name split into several, each its own chip read by the API; the focus goes to the list's input. */
function splitName(field, index, parts) {
  state.names[field].splice(index, 1, ...parts);
  drawChips(field);
  readNames(field);
  byId(`${field}-input`).focus();
}

/** Put another name in a chip's place (a suggestion taken), and forecast again. */
function useName(field, index, name) {
  state.names[field][index] = name;
  drawChips(field);
  readNames(field);
  byId("film-form").requestSubmit();
}

/** Keep the answer's readings of the names (each list's in its order): the chips show them. */
function keepReadings(readings) {
  const positions = {};
  for (const reading of readings) {
    const position = positions[reading.field] || 0;
    positions[reading.field] = position + 1;
    state.readings.set(readingKey(reading.field, position, reading.asked), reading);
  }
  for (const field of LISTS) drawChips(field);
}

// Focus goes to the chip that takes the removed one's place, else to the list's input: never to <body>.
function removeName(field, index) {
  state.names[field].splice(index, 1);
  drawChips(field);
  readNames(field); // the names after it moved up a place
  const buttons = byId(`${field}-chips`).querySelectorAll("button.remove");
  (buttons[Math.min(index, buttons.length - 1)] || byId(`${field}-input`)).focus();
}

// One row per list: its label, its names as removable chips, an input with suggestions, an Add button.
function nameField(field, parent) {
  const row = el("div", { class: "row", "data-field": field }, null, parent);
  el("label", { for: `${field}-input` }, LIST_LABELS[field], row);
  el("ul", { class: "chips", id: `${field}-chips`, "aria-label": `${LIST_LABELS[field]} added` }, null, row);
  const line = el("div", { class: "add-line" }, null, row);
  el("input", {
    id: `${field}-input`, list: `${field}-list`, autocomplete: "off", "aria-describedby": `${field}-error`,
  }, null, line);
  el("button", { type: "button", class: "add", "data-add": field, "aria-label": `Add to ${LIST_LABELS[field]}` }, "Add", line);
  el("datalist", { id: `${field}-list` }, null, row);
  el("p", { class: "error", id: `${field}-error`, "data-error-for": field }, null, row);
  const question = el("div", {
    id: `${field}-confirm`, class: "confirm", role: "group", "aria-labelledby": `${field}-confirm-text`, hidden: "",
  }, null, row);
  el("p", { id: `${field}-confirm-text` }, null, question);
}

function setUpLists(context) {
  const fields = byId("name-fields");
  for (const field of LISTS) {
    nameField(field, fields);
    state.names[field] = [];
    const input = byId(`${field}-input`);
    const known = field === "keywords" ? context.keywords : context.names[field];
    const datalist = byId(`${field}-list`);
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
  const boxes = byId("genre-boxes");
  for (const genre of context.genres) {
    const label = el("label", { class: "box" }, null, boxes);
    el("input", { type: "checkbox", name: "genre", value: genre }, null, label);
    label.appendChild(document.createTextNode(` ${genre}`));
  }
}

// ---------------------------------------------------------------- the form

/** Fill the form with a film (the API body's fields): from the example or from the page's URL. */
function fillForm(film) {
  byId("budget").value = film.budget === undefined ? "" : dollarsInFull(film.budget);
  understandBudget();
  byId("distributor_share").value = film.distributor_share === undefined ? "" : `${film.distributor_share * 100}%`;
  byId("p_and_a").value = film.p_and_a !== undefined ? dollarsInFull(film.p_and_a)
    : film.p_and_a_multiple !== undefined ? `${film.p_and_a_multiple}x` : "";
  understandProducerTerms();
  for (const name of TYPED) byId(name).value = film[name] === undefined ? "" : String(film[name]);
  const genres = film.genres || [];
  for (const box of document.querySelectorAll('input[name="genre"]')) box.checked = genres.includes(box.value);
  for (const field of LISTS) {
    state.names[field] = [...(film[field] || [])];
    drawChips(field);
    readNames(field);
  }
}

/** Beside the budget field, the dollars it was read as (or why it could not be read). */
function understandBudget() {
  const read = readMoney(byId("budget").value);
  const inMillions = Math.abs(read.dollars) >= 1e6 ? ` (${money(read.dollars)})` : "";
  byId("budget-understood").textContent =
    read.problem || (read.dollars === undefined ? "" : `read as ${dollarsInFull(read.dollars)}${inMillions}`);
  byId("budget-confirm").hidden = true;
  return read;
}

/** Beside the share and marketing fields, what they were read as; returns the API fields they give. */
function understandProducerTerms() {
  const share = readShare(byId("distributor_share").value);
  byId("distributor_share-understood").textContent =
    share.problem || (share.share === undefined ? "" : `read as ${percent(share.share)} of the gross`);
  const marketing = readMarketing(byId("p_and_a").value);
  byId("p_and_a-understood").textContent = marketing.problem
    || (marketing.multiple !== undefined ? `read as ${marketing.multiple}\u00d7 the budget`
      : marketing.dollars !== undefined ? `read as ${dollarsInFull(marketing.dollars)}` : "");
  const problems = [];
  if (share.problem) problems.push({ field: "distributor_share", message: share.problem });
  if (marketing.problem) problems.push({ field: "p_and_a", message: marketing.problem });
  const fields = {};
  if (share.share !== undefined) fields.distributor_share = share.share;
  if (marketing.dollars !== undefined) fields.p_and_a = marketing.dollars;
  if (marketing.multiple !== undefined) fields.p_and_a_multiple = marketing.multiple;
  return { problems, fields };
}

// Numbers go to the API as numbers when they read as one, else as typed: the API's 422 says what is wrong.
function number(text) {
  const trimmed = text.trim().replaceAll(",", "");
  if (trimmed === "") return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : text;
}

function filmFromForm(budget, producerTerms) {
  const film = {};
  if (budget !== undefined) film.budget = budget;
  const runtime = number(byId("runtime").value);
  if (runtime !== undefined) film.runtime = runtime;
  const title = byId("title").value.trim();
  if (title) film.title = title;
  const date = byId("release_date").value;
  if (date) film.release_date = date;
  film.original_language = byId("original_language").value.trim();
  film.genres = [...document.querySelectorAll('input[name="genre"]:checked')].map((box) => box.value);
  for (const field of LISTS) {
    const pending = byId(`${field}-input`);
    if (pending.value.trim()) {
      addName(field, pending.value);
      pending.value = "";
    }
    film[field] = [...state.names[field]];
  }
  return { ...film, ...producerTerms };
}

// ---------------------------------------------------------------- errors

function clearErrors() {
  for (const node of document.querySelectorAll(".error")) node.textContent = "";
  for (const node of document.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
}

// An API error's field ('budget', 'directors[0]', 'query.comps', 'scenarios[3].budget') -> the form's field.
function formField(field) {
  const path = field.replace(/^query\./, "").replace(/^scenarios\[\d+\]\.?/, "").replace(/^film\./, "");
  const name = path.split(/[.[]/)[0] || "body";
  return name === "p_and_a_multiple" ? "p_and_a" : name;
}

/** Each error by its field, the field marked invalid; focus on the first field in the form's order. */
function showErrors(errors) {
  const invalid = [];
  for (const error of errors) {
    const field = formField(error.field);
    const slot = document.querySelector(`[data-error-for="${CSS.escape(field)}"]`);
    const target = slot || byId("form-error");
    const text = slot ? error.message : `${error.field}: ${error.message}`;
    target.textContent = target.textContent ? `${target.textContent}; ${text}` : text;
    const input = byId(`${field}-input`) || (field === "genres" ? byId("genres") : byId(field));
    if (slot && input) {
      input.setAttribute("aria-invalid", "true");
      const understood = byId(`${field}-understood`);
      if (understood?.textContent === error.message) understood.textContent = ""; // said once, as the error
      invalid.push(field === "genres" ? document.querySelector('input[name="genre"]') : input);
    } else invalid.push(byId("form-error"));
  }
  invalid.sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
  invalid[0]?.focus();
}

function showProblem(text) {
  byId("form-error").textContent = text;
  byId("form-error").focus();
}

// ---------------------------------------------------------------- a budget too small to be meant

/** The smallest budget the page forecasts without asking: the data's floor, from /forecast/context. */
const budgetFloor = (context) => context.data_limits?.real_budget?.low ?? 0;

function askAboutBudget(dollars, floor) {
  const limits = state.context.data_limits;
  askWhichAmount("budget", dollars,
    `A production budget of ${dollarsInFull(dollars)}? All but ${percent(limits.real_budget.low_share)} of the ` +
    `films the models learnt from cost more than ${dollarsInFull(Math.round(floor))} (${limits.dollars_of} dollars).`);
}

function setUpBudget() {
  byId("budget").addEventListener("input", understandBudget);
  for (const id of ["distributor_share", "p_and_a"]) byId(id).addEventListener("input", understandProducerTerms);
  onWhichAmount("budget", "film-form", (dollars) => { state.confirmedBudget = dollars; }, understandBudget);
}

// ---------------------------------------------------------------- a name read as a small namesake

const keptKey = (field, name) => `${field}\u0000${name}`;

// The warnings whose name is asked about before a forecast: a small namesake of a much larger name, and an
// unknown name with look-alike known ones (a misspelt name would otherwise count as having no earlier film).
const ASKED_ABOUT = ["larger_namesake", "unknown_name"];

/**
 * The answer's first name read as a small namesake, or not found while known names look like it, that the
 * person has not chosen to keep: its place in its list and the API's warning about it
 * (boxoffice.features.limits: its words give each name's films; its `name` is the name as typed), or null.
 */
function namesakeInDoubt(answer) {
  const positions = {};
  for (const reading of answer.names || []) {
    const position = positions[reading.field] || 0;
    positions[reading.field] = position + 1;
    if (!LISTS.includes(reading.field) || state.kept.has(keptKey(reading.field, reading.asked))) continue;
    if (!reading.suggestions.length) continue;
    const warning = (answer.warnings || []).find(
      (w) => ASKED_ABOUT.includes(w.code) && w.field === reading.field && w.name === reading.asked);
    if (warning) return { position, reading, warning };
  }
  return null;
}

function hideNameQuestions() {
  for (const field of LISTS) byId(`${field}-confirm`).hidden = true;
}

/** Before any forecast is shown: which name was meant, the one as typed or a known one the API suggests; either
 * choice forecasts. The API's warning names them with their films. */
function askAboutName({ position, reading, warning }) {
  const field = reading.field;
  const question = byId(`${field}-confirm`);
  byId(`${field}-confirm-text`).textContent = `Check this name before the forecast. ${warning.message}`;
  for (const button of question.querySelectorAll("button")) button.remove();
  const choose = (text, chosen) => {
    el("button", { type: "button" }, text, question).addEventListener("click", () => {
      question.hidden = true;
      if (state.names[field][position] !== reading.asked) return; // the list changed since it was asked
      chosen();
    });
  };
  for (const larger of reading.suggestions) choose(`Use ${larger}`, () => useName(field, position, larger));
  choose(`Keep ${reading.asked}, as typed`, () => {
    state.kept.add(keptKey(field, reading.asked));
    byId("film-form").requestSubmit();
  });
  question.hidden = false;
  question.querySelector("button").focus();
}

// ---------------------------------------------------------------- asking

async function post(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({ detail: `HTTP ${response.status}` }));
  return { status: response.status, answer };
}

const problem = (answer) => (typeof answer.detail === "string" ? answer.detail : "the service could not answer");

/** The API's answer, or null once its error is shown. */
async function ask(path, body) {
  const { status, answer } = await post(path, body);
  if (status === 200) return answer;
  if (status === 422 && Array.isArray(answer.detail)) showErrors(answer.detail);
  else showProblem(problem(answer));
  return null;
}

function forget() {
  state.drawn = null;
  hideNameQuestions();
  for (const node of document.querySelectorAll(".field-warning")) node.textContent = "";
  byId("results").hidden = true;
  delete document.body.dataset.drawn;
}

async function forecast(event) {
  event.preventDefault();
  clearErrors();
  forget();
  const budget = understandBudget();
  const terms = understandProducerTerms();
  const unread = [...(budget.problem ? [{ field: "budget", message: budget.problem }] : []), ...terms.problems];
  if (unread.length) return showErrors(unread);
  const floor = budgetFloor(state.context);
  if (budget.dollars > 0 && budget.dollars < floor && budget.dollars !== state.confirmedBudget) {
    return askAboutBudget(budget.dollars, floor);
  }
  const film = filmFromForm(budget.dollars, terms.fields);
  const query = new URLSearchParams({ explain: "true", quantiles: "true", ...compsAsked() });
  const button = byId("submit");
  button.disabled = true;
  let single, sweep;
  try {
    single = await ask(`/predict/pre_release?${query}`, film);
    if (!single) return;
    const doubt = namesakeInDoubt(single);
    if (doubt) {
      keepReadings(single.names);
      return askAboutName(doubt);
    }
    const scenarios = [...monthScenarios(film.release_date), ...budgetScenarios(film.budget)];
    sweep = await ask("/predict/pre_release/scenarios", { film, scenarios });
    if (!sweep) return;
  } catch (error) {
    return showProblem(`the service could not be reached (${error.message})`);
  } finally {
    button.disabled = false;
  }
  try {
    draw(film, single, sweep.scenarios);
  } catch (error) {
    showProblem(`the page could not show this answer (${error.message}); the service answered`);
  }
}

function draw(film, answer, scenarios) {
  state.drawn = { film, answer, scenarios, context: state.context };
  const link = `/forecast?${filmQuery(film, compsAsked())}`;
  history.replaceState(null, "", link);
  byId("share-link").href = link;
  byId("results").hidden = false;
  keepReadings(answer.names);
  drawAnswer(state.drawn);
  offerToSave(film);
  byId("results-title").focus();
  byId("results").scrollIntoView({ block: "start" });
  document.body.dataset.drawn = "true";
}

// ---------------------------------------------------------------- keeping it

/**
 * How many comps the form asks for, and their constraints, as query parameters (typed text goes as typed).
 * Each flag is written either way: "share a genre" is ticked by default on the page (people compare a film
 * with films of its genre) but not in the API, and a link with no flag (made before that) means unticked.
 */
function compsAsked() {
  const asked = { comps: byId("comps").value.trim() || "0" };
  for (const flag of COMP_FLAGS) asked[flag] = String(byId(flag).checked);
  const years = byId("comps_within_years").value.trim();
  if (years) asked.comps_within_years = years;
  return asked;
}

/** The film and its comps' settings as the page's URL query: one key per field, lists repeated. */
function filmQuery(film, comps) {
  const query = new URLSearchParams(comps);
  for (const [field, value] of Object.entries(film)) {
    for (const one of Array.isArray(value) ? value : [value]) query.append(field, String(one));
  }
  return query;
}

/** The film in the URL a shared link opened, or null. */
function filmInUrl() {
  const query = new URLSearchParams(location.search);
  if (!query.has("budget")) return null;
  const film = { budget: readMoney(query.get("budget")).dollars, genres: query.getAll("genres") };
  for (const name of TYPED) if (query.has(name)) film[name] = query.get(name);
  for (const name of ["distributor_share", "p_and_a", "p_and_a_multiple"]) {
    if (query.has(name)) film[name] = Number(query.get(name));
  }
  for (const field of LISTS) film[field] = query.getAll(field);
  if (query.has("comps")) byId("comps").value = query.get("comps");
  for (const flag of COMP_FLAGS) byId(flag).checked = query.get(flag) === "true";
  byId("comps_within_years").value = query.get("comps_within_years") ?? "";
  return film;
}

function download() {
  const blob = new Blob([answerCsv(state.drawn)], { type: "text/csv;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  const link = el("a", { href: url, download: `forecast-${state.drawn.film.release_date}.csv`, hidden: "" }, null,
    document.body);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

// ---------------------------------------------------------------- saving it to the ledger

/** With a ledger token in this tab, the form to save the forecast, its name the film's title by default;
 * without one, how to get one (nothing about the ledger's contents: they need the token). */
function offerToSave(film) {
  byId("save").hidden = false;
  byId("save-form").hidden = !heldToken();
  byId("save-needs-token").hidden = Boolean(heldToken());
  byId("save-status").replaceChildren();
  if (!byId("save-name").value.trim() && film.title) byId("save-name").value = film.title;
}

/** The slates there are, as suggestions for the slate field. */
async function suggestSlates() {
  if (!heldToken()) return;
  const { status, answer } = await ledgerCall("GET", "/ledger/slates");
  if (status !== 200) return;
  const list = byId("save-slates");
  list.replaceChildren();
  for (const slate of answer.slates) el("option", { value: slate.name }, null, list);
}

function saveProblem(text, field = null) {
  const slot = field && document.querySelector(`[data-save-error-for="${CSS.escape(field)}"]`);
  const target = slot || byId("save-problem");
  target.textContent = target.textContent ? `${target.textContent}; ${text}` : text;
  const input = slot ? byId(`save-${field}`) : null;
  input?.setAttribute("aria-invalid", "true");
  return input || byId("save-problem");
}

/** Save the film (as it was asked for) into the slate: the service answers it again and keeps that answer. */
async function save(event) {
  event.preventDefault();
  for (const node of document.querySelectorAll("#save .error")) node.textContent = "";
  for (const id of ["save-slate", "save-name"]) byId(id).removeAttribute("aria-invalid");
  const status = byId("save-status");
  status.replaceChildren();
  const body = { slate: byId("save-slate").value, name: byId("save-name").value, film: state.drawn.film };
  const button = byId("save-button");
  button.disabled = true;
  try {
    const { status: code, answer } = await ledgerCall("POST", "/ledger/forecasts", body);
    if (code === 201) {
      status.append(`Saved as \u201c${answer.name}\u201d in the slate \u201c${answer.slate}\u201d. `);
      el("a", { href: `/ledger?${new URLSearchParams({ slate: answer.slate })}` }, "Open the slate", status);
      suggestSlates();
      return;
    }
    const focused = [];
    if (code === 422 && Array.isArray(answer.detail)) {
      for (const error of answer.detail) {
        const field = ["slate", "name"].includes(error.field) ? error.field : null;
        // an empty (or all-space) name: pydantic's words are "String should have at least 1 character"
        const empty = field && (error.type === "string_too_short" || error.type === "missing");
        const words = empty ? `Type ${field === "slate" ? "the slate's name" : "the film's name in the slate"}.` : error.message;
        focused.push(saveProblem(field ? words : `${error.field}: ${error.message}`, field));
      }
    } else if (code === 409) focused.push(saveProblem(answer.detail, "name"));
    else {
      focused.push(saveProblem(refusal(code, answer)));
      if (code === 401) el("a", { href: "/ledger" }, " Enter another token on the ledger page.", byId("save-problem"));
    }
    focused[0].focus();
  } catch (error) {
    saveProblem(`the ledger could not be reached (${error.message})`).focus();
  } finally {
    button.disabled = false;
  }
}

// The charts are drawn at the width they are shown at: again when it changes; opened tables print.
function setUpRedraws() {
  let width = window.innerWidth;
  window.addEventListener("resize", () => {
    if (window.innerWidth === width) return;
    width = window.innerWidth;
    if (state.drawn) drawCharts(state.drawn);
  });
  window.addEventListener("beforeprint", () => {
    for (const details of document.querySelectorAll("details.numbers")) details.open = true;
  });
}

function describeTrust(context) {
  const f = context.forward;
  const comps = Object.entries(f.comps_median_r2).sort((a, b) => Number(a[0]) - Number(b[0]));
  byId("trust-text").textContent =
    `Tested forward in time: the models were rebuilt from the films released before ${f.cutoff} and scored on ` +
    `the ${f.films} released from then on. There the predicted log revenue had R\u00b2 ${f.r2.toFixed(3)}, the ` +
    `${Math.round(f.nominal_coverage * 100)}% interval covered ${(100 * f.interval_coverage).toFixed(1)}% of the films, and ` +
    `P(hit) ranked hits above flops with AUC ${f.hit_auc.toFixed(3)} (0.5 is chance, 1 is perfect). The comps' ` +
    `median revenue alone had R\u00b2 ${comps.map(([n, r2]) => `${r2.toFixed(3)} (${n} comps)`).join(", ")}. ` +
    "A forecast is a wide range, not a number.";
  const p = context.population;
  const learnt = `${(100 * p.learnt_hit_rate).toFixed(1)}%`;
  // Every figure comes from the same films: the revenue range, P(profit) and P(gross > budget) lean as P(hit) does.
  const alike = "The revenue range, the producer's result, P(profit) and P(gross > budget) come from the same " +
    "films and lean the same way: they say how films like TMDB 5000's fared, better than a typical release fares.";
  byId("population-text").textContent = p.hit_rate === null
    ? `The models learnt from TMDB 5000's films, which are more successful than typical films: ${learnt} of ` +
      "them are hits, more than of a broad set of releases. P(hit) is not re-weighted for that here " +
      `(serve.population_hit_rate is not set), so it overstates a typical film's chances. ${alike}`
    : `The models learnt from TMDB 5000's films, which are more successful than typical films (${learnt} are hits); ` +
      `P(hit) here is re-weighted to a hit rate of ${(100 * p.hit_rate).toFixed(1)}% ` +
      `(serve.population_hit_rate); nothing else is. ${alike}`;
}

/** Before any forecast: how the producer's result is counted, and the terms used when the fields are left empty. */
function describeProducerTerms(context) {
  const terms = context.producer_defaults;
  const share = percent(terms.distributor_share);
  const marketing = `${terms.p_and_a_multiple}\u00d7 the production budget`;
  byId("producer-defaults").textContent =
    "The answer leads with the producer's result: the box office \u00d7 the distributor's share of it " +
    `\u2212 the production budget \u2212 marketing (prints and advertising, P&A). Left empty, the share is ${share} ` +
    `and P&A ${marketing} (the service's defaults).`;
  byId("distributor_share").placeholder = `${share} unless typed`;
  byId("p_and_a").placeholder = `${terms.p_and_a_multiple}x unless typed; or e.g. 40M`;
}

async function start() {
  byId("film-form").addEventListener("submit", forecast);
  const response = await fetch("/forecast/context");
  const context = await response.json();
  if (response.status !== 200) {
    byId("trust-text").textContent = problem(context);
    return;
  }
  state.context = context;
  setUpLists(context);
  setUpBudget();
  setUpRedraws();
  describeTrust(context);
  describeProducerTerms(context);
  byId("example").addEventListener("click", () => fillForm(context.example));
  byId("export-csv").addEventListener("click", download);
  byId("save-form").addEventListener("submit", save);
  suggestSlates();
  document.body.dataset.ready = "true";
  const shared = filmInUrl();
  if (shared) {
    fillForm(shared);
    state.confirmedBudget = shared.budget; // a link is a forecast someone already asked for, its names as meant
    for (const field of LISTS) for (const name of shared[field]) state.kept.add(keptKey(field, name));
    byId("film-form").requestSubmit();
  }
}

start();
