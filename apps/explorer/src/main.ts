import "./style.css";
import { forgetToken, readToken } from "./token.js";
import { formatHash, parseHash, type ViewState } from "./url-state.js";
import { renderAnalytics } from "./views/analytics.js";
import { renderIncident } from "./views/incident.js";
import { renderSearch } from "./views/search.js";

const main = document.querySelector<HTMLElement>("#view");
if (!main) throw new Error("index.html has no #view element");
const view: HTMLElement = main;

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

/** Renders the view the URL names; every navigation goes through the hash, so back, forward and links work. */
function render(): void {
  const state = parseHash(location.hash);
  markNavigation(state);
  document.title = `${state.view[0]?.toUpperCase()}${state.view.slice(1)} · Kubernaut Audit`;
  switch (state.view) {
    case "search":
      void renderSearch(view, state, go);
      break;
    case "incident":
      void renderIncident(view, state);
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
window.addEventListener("hashchange", render);
render();
