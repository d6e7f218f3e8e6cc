// The ledger's bearer token, as both pages hold it. It arrives in the address's fragment
// (/ledger#token=..., the link the service prints on its first start), which a browser never
// sends to a server; it is moved into this tab's sessionStorage and out of the address bar (so
// it is not bookmarked, shared or kept in history), and sent only in the Authorization header.
const KEY = "boxoffice.ledger.token";

export const heldToken = () => sessionStorage.getItem(KEY);
export const keepToken = (token) => sessionStorage.setItem(KEY, token.trim());
export const forgetToken = () => sessionStorage.removeItem(KEY);

/** Keep a token the address brought (#token=...) and remove it from the address; true if there was one. */
export function takeTokenFromAddress() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  if (!fragment.has("token")) return false;
  const token = fragment.get("token").trim();
  fragment.delete("token");
  const rest = fragment.toString();
  history.replaceState(null, "", `${location.pathname}${location.search}${rest ? `#${rest}` : ""}`);
  if (token) keepToken(token);
  return Boolean(token);
}

/** A ledger request with the held token: {status, answer} (the API's JSON, or its status in words). */
export async function ledgerCall(method, path, body) {
  const headers = { Authorization: `Bearer ${heldToken() ?? ""}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const answer = await response.json().catch(() => ({ detail: `HTTP ${response.status}` }));
  return { status: response.status, answer };
}

export const NOT_ACCEPTED = "This token is not accepted: the ledger does not know it (mistyped, or from another ledger).";
export const READ_ONLY = "This token is read-only: it may read the ledger, not change it. Ask for a read-write token.";

/** What a refused ledger request means, in words (a 401 says nothing about what exists). */
export function refusal(status, answer) {
  if (status === 401) return NOT_ACCEPTED;
  if (status === 403) return READ_ONLY;
  return typeof answer.detail === "string" ? answer.detail : `the ledger could not answer (HTTP ${status})`;
}
