// Amounts of money as people type them, and as the page writes them.
// Reading is the page's only arithmetic on a number: the API takes dollars, a person types "90M".

// A word after the number -> its multiple: "90M", "90 million", "1.2B", "500k".
const MULTIPLES = new Map([
  ["", 1], ["k", 1e3], ["thousand", 1e3],
  ["m", 1e6], ["mm", 1e6], ["mn", 1e6], ["mil", 1e6], ["million", 1e6], ["millions", 1e6],
  ["b", 1e9], ["bn", 1e9], ["billion", 1e9], ["billions", 1e9], ["dollars", 1], ["usd", 1],
]);
// "$", "US$" or "USD" before or after; digits with "," (or spaces) between thousands; one decimal point; a word.
const AMOUNT = /^(?:us\s*\$|usd|\$)?\s*(-?(?:\d{1,3}(?:[,\s]\d{3})+|\d+)(?:\.\d+)?|-?\.\d+)\s*([a-z]*)\.?\s*(?:usd|dollars)?$/i;

/** The dollars a typed amount means: {dollars} when it reads as one, else {problem} saying what works. */
export function readMoney(text) {
  const typed = text.trim();
  if (typed === "") return { dollars: undefined };
  const match = AMOUNT.exec(typed);
  const multiple = match ? MULTIPLES.get(match[2].toLowerCase()) : undefined;
  if (!match || multiple === undefined) {
    return { problem: `"${typed}" is not an amount the page can read: type it as 90M, $90 million, 90,000,000 or 1.2B` };
  }
  const number = Number(match[1].replace(/[,\s]/g, ""));
  // whole dollars once a multiple is typed (1.2B is 1,200,000,000, not 1,199,999,999.9998)
  return { dollars: multiple === 1 ? number : Math.round(number * multiple) };
}

/** Dollars as a person reads them at a glance: "$1.20B", "-$12.5M", "$1.2K", "$90" (never "$0.0M"). */
export function money(dollars) {
  const size = Math.abs(dollars);
  let text;
  if (size >= 999.95e6) text = `$${(size / 1e9).toFixed(2)}B`;
  else if (size >= 999.95e3) text = `$${(size / 1e6).toFixed(1)}M`;
  else if (size >= 999.5) text = `$${(size / 1e3).toFixed(1)}K`;
  else text = `$${Math.round(size)}`;
  return dollars < 0 && text !== "$0" ? `-${text}` : text;
}

/** Every digit of an amount: "$90,000,000". */
export const dollarsInFull = (dollars) =>
  `$${dollars.toLocaleString("en-US", { maximumFractionDigits: 2 })}`;

export const percent = (p) => `${(100 * p).toFixed(1)}%`;

/**
 * A probability of an answer (P(hit), P(profit), P(gross > budget)) in whole percents: it comes from a conformal
 * distribution whose levels move in steps of a few percent, so a tenth of a percent would claim a precision it
 * lacks. Never 0% or 100% for what is neither.
 */
export function chance(p) {
  const whole = Math.round(100 * p);
  if (whole === 0 && p > 0) return "<1%";
  if (whole === 100 && p < 1) return ">99%";
  return `${whole}%`;
}

/** Marketing (P&A) as typed: dollars ("40M") or a multiple of the budget ("0.5x", "1 x budget"). */
export function readMarketing(text) {
  const multiple = /^(\d+(?:\.\d+)?|\.\d+)\s*[x\u00d7](?:\s*(?:the\s+)?budget)?$/i.exec(text.trim());
  if (multiple) return { multiple: Number(multiple[1]) };
  const read = readMoney(text);
  return read.problem ? { problem: `${read.problem}, or as a multiple of the budget such as 0.5x` } : read;
}

/** A share typed in percent ("50", "50%") as the fraction the API takes. */
export function readShare(text) {
  const typed = text.trim();
  if (typed === "") return { share: undefined };
  const match = /^(\d+(?:\.\d+)?)\s*%?$/.exec(typed);
  return match ? { share: Number(match[1]) / 100 } : { problem: `"${typed}" is not a percentage: type it as 50 or 50%` };
}
