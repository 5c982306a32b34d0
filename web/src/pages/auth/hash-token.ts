/** The secret an email link carries after `#` (never sent to the server by the browser). */
export function tokenFromHash(hash = location.hash): string {
  return new URLSearchParams(hash.replace(/^#/, "")).get("token") ?? "";
}
