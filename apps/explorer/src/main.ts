import "./style.css";
import { forgetToken, readToken, TOKEN_CHANGE } from "./token.js";
import { formatHash, parseHash, type ViewState } from "./url-state.js";
import { renderAnalytics } from "./views/analytics.js";
import { renderIncident } from "./views/incident.js";
import { renderSearch, type SearchPlace } from "./views/search.js";

const main = document.querySelector<HTMLElement>("#view");
if (!main) throw new Error("index.html has no #view element");
const view: HTMLElement = main;

/** The navigation on screen: aborted when the next one starts, so a late answer never replaces a newer view. */
let navigation = new AbortController();

/** Where the user was in the search list they left (its hash): restored when they come back to it. */
let searchPlace: { hash: string; place: SearchPlace } | undefined;

// The search view restores its own place once its rows are drawn.
history.scrollRestoration = "manual";

function go(next: ViewState): void {
  const hash = formatHash(next);
  if (hash === location.hash) render();
  else location.hash = hash;
}

function markNavigation(state: ViewState): void {
  for (const link of document.querySelectorAll<HTMLAnchorElement>("nav.top a[data-view]")) {
    if (link.dataset.view === state.view) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  showSignOut();
}

/** "Forget token" is there whenever the tab holds a token: after a navigation, and as soon as one is saved. */
function showSignOut(): void {
  const signOut = document.querySelector<HTMLElement>("#sign-out");
  if (signOut) signOut.hidden = readToken() === null;
}

/** Remembers the scroll position and the focused row link of the search list being left. */
function rememberSearchPlace(oldUrl: string): void {
  const oldHash = new URL(oldUrl).hash;
  if (parseHash(oldHash).view !== "search" || view.querySelector("table.results") === null) return;
  const focused = document.activeElement;
  const href =
    focused instanceof HTMLAnchorElement && view.contains(focused) ? focused.getAttribute("href") : null;
  const link = href === null || !focused ? null : { href, top: focused.getBoundingClientRect().top };
  searchPlace = { hash: oldHash, place: { scrollY: window.scrollY, link } };
}

/**
 * After a navigation, focus goes to the new view's heading (as a page load would put a screen reader at the top),
 * unless the view put it somewhere itself (a linked chart).
 */
function focusView(): void {
  if (view.contains(document.activeElement)) return;
  const heading = view.querySelector<HTMLElement>("h1");
  if (heading) heading.tabIndex = -1;
  (heading ?? view).focus();
}

/** Renders the view the URL names; every navigation goes through the hash, so back, forward and links work. */
function render(): void {
  navigation.abort();
  navigation = new AbortController();
  const { signal } = navigation;
  const state = parseHash(location.hash);
  markNavigation(state);
  document.title =
    state.view === "incident"
      ? `Incident ${state.remediation ?? state.fingerprint} · Kubernaut Audit`
      : `${state.view[0]?.toUpperCase()}${state.view.slice(1)} · Kubernaut Audit`;
  switch (state.view) {
    case "search": {
      const place = searchPlace?.hash === location.hash ? searchPlace.place : undefined;
      searchPlace = undefined;
      void renderSearch(view, state, go, signal, place);
      break;
    }
    case "incident":
      void renderIncident(view, state, signal);
      break;
    case "analytics":
      renderAnalytics(view, state, go);
      break;
  }
}

document.querySelector("#sign-out")?.addEventListener("click", () => {
  forgetToken();
  render();
});
// The skip link moves focus only: with the hash router, following `#view` would change the route.
document.querySelector(".skip")?.addEventListener("click", (event) => {
  event.preventDefault();
  view.focus();
});
window.addEventListener(TOKEN_CHANGE, showSignOut);
window.addEventListener("hashchange", (event) => {
  rememberSearchPlace(event.oldURL);
  render();
  focusView();
});
render();
