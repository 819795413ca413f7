/** The bearer token the user entered, kept for the browser tab's session only. */
const KEY = "kubernaut.audit.token";

/** Dispatched on `window` when the token is saved or forgotten, so that "Forget token" shows at once. */
export const TOKEN_CHANGE = "kubernaut-token-change";

export function readToken(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function saveToken(token: string): void {
  sessionStorage.setItem(KEY, token.trim());
  window.dispatchEvent(new Event(TOKEN_CHANGE));
}

export function forgetToken(): void {
  sessionStorage.removeItem(KEY);
  window.dispatchEvent(new Event(TOKEN_CHANGE));
}
