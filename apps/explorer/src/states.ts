import { ApiError } from "./api.js";
import { h } from "./dom.js";
import { forgetToken, readToken, saveToken } from "./token.js";

export function loading(what: string): HTMLElement {
  return h("p", { class: "state loading", role: "status", "aria-live": "polite" }, `Loading ${what}…`);
}

export function empty(message: string, hint?: string): HTMLElement {
  return h(
    "div",
    { class: "state empty", role: "status" },
    h("p", {}, message),
    hint ? h("p", { class: "hint" }, hint) : null,
  );
}

/**
 * What a failed request means for the user: a token form for 401, the storage service being down, or the
 * problem the service answered. `retry` re-runs the view.
 */
export function failure(error: unknown, retry: () => void): HTMLElement {
  if (error instanceof ApiError && error.failure.kind === "unauthorized")
    return tokenForm(retry, error.failure.detail);
  const box = h("div", { class: "state error", role: "alert" });
  const actions = h("div", { class: "actions" });
  if (error instanceof ApiError && error.failure.kind === "unreachable") {
    box.append(
      h("h2", {}, "Storage service unreachable"),
      h("p", {}, `The audit trail cannot be read right now: ${error.failure.detail}.`),
    );
  } else if (error instanceof ApiError && error.failure.kind === "forbidden") {
    box.append(
      h("h2", {}, "Not allowed"),
      h("p", {}, `This token may not read this: ${error.failure.detail}`),
    );
    actions.append(
      h(
        "button",
        {
          type: "button",
          onclick: () => {
            forgetToken();
            retry();
          },
        },
        "Use another token",
      ),
    );
  } else {
    const detail = error instanceof Error ? error.message : String(error);
    box.append(h("h2", {}, "The request failed"), h("p", {}, detail));
  }
  actions.append(h("button", { type: "button", class: "retry", onclick: retry }, "Retry"));
  box.append(actions);
  return box;
}

/** Numbers the sign-in forms, so that each input's id (and the label that points at it) is unique. */
let forms = 0;

/**
 * Asked for once per browser tab: the shared token, or in tokenreview mode a ServiceAccount token. One form per
 * view: a view with several requests (analytics) shows it once, in place of the view.
 */
export function tokenForm(done: () => void, detail?: string): HTMLElement {
  forms += 1;
  const id = `token-${forms}`;
  const input = h("input", {
    type: "password",
    id,
    name: "token",
    autocomplete: "off",
    required: true,
    placeholder: "bearer token",
  });
  const form = h(
    "form",
    {
      class: "state auth",
      onsubmit: (event: Event) => {
        event.preventDefault();
        if (input.value.trim() === "") return;
        saveToken(input.value);
        done();
      },
    },
    h("h2", {}, "Sign in to the storage service"),
    h(
      "p",
      {},
      readToken() ? "The service refused the token of this tab" : "The service needs a bearer token",
      detail ? ` (${detail}).` : ".",
      " Paste the shared token (AUTH_MODE=token) or a ServiceAccount token (AUTH_MODE=tokenreview, e.g. ",
      h("code", {}, "kubectl create token <account>"),
      "). It is kept for this tab only.",
    ),
    h("label", { for: id }, "Token"),
    input,
    h("button", { type: "submit" }, "Sign in"),
  );
  queueMicrotask(() => input.focus());
  return form;
}
