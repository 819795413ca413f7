import "./style.css";
import { forgetToken, readToken } from "./token.js";
import { formatHash, parseHash, type ViewState } from "./url-state.js";
import { renderAnalytics } from "./views/analytics.js";
import { renderIncident } from "./views/incident.js";
import { renderSearch } from "./views/search.js";

const main = document.querySelector<HTMLElement>("#view");
if (!main) throw new Error("index.html has no #view element");
const view: HTMLElement = main;

/** The navigation on screen: aborted when the next one starts, so a late answer never replaces a newer view. */
let navigation = new AbortController();

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
  const signOut = document.querySelector<HTMLElement>("#sign-out");
  if (signOut) signOut.hidden = readToken() === null;
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
  document.title = `${state.view[0]?.toUpperCase()}${state.view.slice(1)} · Kubernaut Audit`;
  switch (state.view) {
    case "search":
      void renderSearch(view, state, go, signal);
      break;
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
window.addEventListener("hashchange", () => {
  render();
  focusView();
});
render();
