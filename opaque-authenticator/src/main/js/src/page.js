// Keyward OPAQUE page script for login-opaque.ftl and register-opaque.ftl.
//
// Bundled to theme-resources/resources/js/keyward-opaque-<hash>.js (small); the OPAQUE library for the
// page's suite is a separate bundle loaded on demand (keyward-opaque-ristretto255-<hash>.js or
// keyward-opaque-p256-<hash>.js, next to this file), so the page downloads only the wasm it needs and
// can say so clearly when WebAssembly is unavailable. The password inputs have no name attribute:
// they are never part of a form submission; only KE1/KE3 or the registration request/record are.
// The one exception is legacy migration: when the server answers KE1 with {"legacy": true}, the
// typed password goes once, by fetch, to the realm's login action, with a registration request.
//
// Forms: form[data-keyward-opaque="login"] (or #kc-form-login) and
// form[data-keyward-opaque="register"] (or #kc-opaque-register), each with a hidden opaque_step.
// The templates render their submit buttons disabled: the script enables them and sets
// data-keyward-ready on the form once its handlers are attached, and removes the
// #keyward-opaque-script-hint that tells users of a page whose script never ran what to do.
// Errors go to one alert (#keyward-opaque-error, role="alert"); the work in progress is announced
// by a visually hidden role="status" region (#keyward-opaque-status) the script adds after the form.
//
// Nothing here logs: passwords and protocol messages must never reach the console.

import { OpaqueClientError, checkAction, checkNewPassword, login, register, suiteInfo } from "./logic.js";

const LOADERS = {
    ristretto255: () => import("./suite-ristretto255.js"),
    p256: () => import("./suite-p256.js"),
};

// Message texts: the first data-msg-* attribute present wins (the template localizes them), then
// an English fallback. Several names per message keep older and newer templates working.
const MESSAGES = {
    error: [["msgFailed", "msgError"], "Something went wrong. Please reload the page and try again."],
    noWasm: [
        ["msgNoWasm"],
        "This page needs WebAssembly, which this browser or the site\u2019s security policy does not allow.",
    ],
    required: [["msgRequired"], "Please enter your username and password."],
    invalid: [["msgInvalid"], "Invalid username or password."],
    empty: [["msgEmpty"], "Please specify password."],
    mismatch: [["msgMismatch"], "Passwords don\u2019t match."],
    tooShort: [["msgTooShort"], "Invalid password: minimum length {0}."],
    tooLong: [["msgTooLong"], "Invalid password: maximum length {0}."],
    equalsUsername: [["msgIsUsername", "msgEqualsUsername"], "Invalid password: must not be equal to the username."],
    containsUsername: [["msgContainsUsername"], "Invalid password: must not contain the username."],
    equalsEmail: [["msgIsEmail", "msgEqualsEmail"], "Invalid password: must not be equal to the email."],
    working: [["msgWorking"], "Protecting your password\u2026"],
};

// Ids the templates use; the script creates the error area and the status region when absent.
const ERROR_ID = "keyward-opaque-error";
const STATUS_ID = "keyward-opaque-status";
const HINT_ID = "keyward-opaque-script-hint";

// Hidden from the eye, not from assistive technology. Set through the CSSOM: a CSP without
// 'unsafe-inline' styles blocks style attributes in markup, not this; and no theme class is needed.
const VISUALLY_HIDDEN = {
    position: "absolute",
    width: "1px",
    height: "1px",
    padding: "0",
    margin: "-1px",
    overflow: "hidden",
    clip: "rect(0, 0, 0, 0)",
    whiteSpace: "nowrap",
    border: "0",
};

function hasWebAssembly() {
    return (
        typeof WebAssembly === "object" &&
        WebAssembly !== null &&
        typeof WebAssembly.compile === "function" &&
        typeof WebAssembly.instantiate === "function"
    );
}

function message(form, id, arg) {
    const [keys, fallback] = MESSAGES[id] || MESSAGES.error;
    const key = keys.find((k) => form.dataset[k]);
    const text = key ? form.dataset[key] : fallback;
    return arg === undefined || arg === null ? text : text.split("{0}").join(String(arg));
}

/** The page's error area: data-error-target, #keyward-opaque-error or #kc-opaque-error; created if absent. */
function errorArea(form) {
    const ids = [form.dataset.errorTarget, ERROR_ID, "kc-opaque-error"].filter(Boolean);
    for (const id of ids) {
        const el = document.getElementById(id);
        if (el) return el;
    }
    const area = document.createElement("div");
    area.id = ids[0];
    area.setAttribute("role", "alert");
    area.setAttribute("aria-live", "polite");
    area.hidden = true;
    form.insertBefore(area, form.firstChild);
    return area;
}

/**
 * One alert with one title element (class from data-title-class) holding the text, or a list
 * when there are several. PatternFly's alert is a CSS grid that gives each child its own column:
 * one child per text made the box 617px wide on a 288px screen.
 */
function showErrors(form, texts) {
    const area = errorArea(form);
    const title = document.createElement("div");
    if (area.dataset.titleClass) title.className = area.dataset.titleClass;
    if (texts.length === 1) {
        title.textContent = texts[0];
    } else {
        const list = document.createElement("ul");
        for (const text of texts) {
            const item = document.createElement("li");
            item.textContent = text;
            list.appendChild(item);
        }
        title.appendChild(list);
    }
    area.replaceChildren(title);
    if (area.dataset.alertClass) area.className = area.dataset.alertClass;
    // focusable from script only: focus goes here after an error that is about no field
    if (!area.hasAttribute("tabindex")) area.tabIndex = -1;
    area.hidden = false;
    area.style.removeProperty("display");
}

function clearErrors(form) {
    const area = errorArea(form);
    area.replaceChildren();
    // a theme's alert class may set display and so defeat the hidden attribute
    if (area.dataset.alertClass) area.className = "";
    area.hidden = true;
    // a new attempt: the fields' earlier verdicts (also the server's) no longer hold
    for (const input of form.querySelectorAll('[aria-invalid="true"]')) {
        input.removeAttribute("aria-invalid");
    }
}

/**
 * The live region that reads out data-msg-working while the page works (the button's new label
 * alone is never announced). Created once, empty, at start-up, so the later text is heard as a
 * change; after the form rather than in it, so nothing in the form's state can hold it back.
 */
function statusRegion(form) {
    let region = document.getElementById(STATUS_ID);
    if (!region) {
        region = document.createElement("div");
        region.id = STATUS_ID;
        region.setAttribute("role", "status");
        region.setAttribute("aria-live", "polite");
        Object.assign(region.style, VISUALLY_HIDDEN);
        form.after(region);
    }
    return region;
}

/** The form's own submit buttons (a button inside it that belongs to another form, like Cancel, is not). */
function submitButtons(form) {
    return Array.from(form.querySelectorAll('button, input[type="submit"], input[type="image"]')).filter(
        (el) => (el.type === "submit" || el.type === "image") && el.form === form,
    );
}

/** Buttons that submit the form as it is, without OPAQUE (e.g. "Cancel" of an application-initiated action). */
function isPassThrough(submitter) {
    return (
        !!submitter &&
        (submitter.name === "cancel-aia" ||
            submitter.hasAttribute("formnovalidate") ||
            submitter.hasAttribute("data-opaque-skip"))
    );
}

function mainButton(form) {
    return submitButtons(form).find((b) => !isPassThrough(b) && b.tagName === "BUTTON");
}

/**
 * Disables the submit buttons; while working, the main button says data-msg-working if given and
 * the status region says it to screen readers. The form no longer gets aria-busy: screen
 * readers may hold back what changes inside a busy element, the error alert included.
 */
function setBusy(form, busy) {
    for (const button of submitButtons(form)) {
        button.disabled = busy;
    }
    statusRegion(form).textContent = busy ? message(form, "working") : "";
    const main = mainButton(form);
    if (main && form.dataset.msgWorking) {
        if (busy && main.dataset.keywardLabel === undefined) {
            main.dataset.keywardLabel = main.textContent;
            main.textContent = form.dataset.msgWorking;
        } else if (!busy && main.dataset.keywardLabel !== undefined) {
            main.textContent = main.dataset.keywardLabel;
            delete main.dataset.keywardLabel;
        }
    }
}

/**
 * After a run that ended on this page: disabling the clicked button sent focus to <body>, so
 * focus goes to the first field marked invalid, else to the error box (a focused alert is read
 * out), else back to the submit button.
 */
function refocus(form) {
    const area = errorArea(form);
    const target = form.querySelector('[aria-invalid="true"]') || (area.hidden ? mainButton(form) : area);
    if (target) target.focus();
}

/** Final failure (no WebAssembly): only pass-through buttons such as "Cancel" stay usable. */
function block(form) {
    for (const button of submitButtons(form)) {
        if (!isPassThrough(button)) button.disabled = true;
    }
}

function field(form, name) {
    const el = form.elements.namedItem(name);
    return el && !(typeof RadioNodeList !== "undefined" && el instanceof RadioNodeList) ? el : null;
}

function setHidden(form, name, value) {
    let el = field(form, name);
    if (!el) {
        el = document.createElement("input");
        el.type = "hidden";
        el.name = name;
        form.appendChild(el);
    }
    el.value = value;
}

/** aria-invalid on the fields at fault (refocus() then focuses the first), off on the others. */
function markInvalid(inputs, invalid) {
    for (const input of inputs) {
        if (!input) continue;
        if (invalid.includes(input)) {
            input.setAttribute("aria-invalid", "true");
        } else {
            input.removeAttribute("aria-invalid");
        }
    }
}

/**
 * post(fields, to = url): a fetch POST resolving to the JSON answer. Non-2xx answers throw,
 * except a 400 {"error":"invalid_grant"} (failed legacy password step), which the login logic
 * turns into the realm's message.
 */
function makePost(url) {
    return async (fields, to = url) => {
        let response;
        try {
            response = await fetch(to, {
                method: "POST",
                credentials: "same-origin",
                cache: "no-store",
                headers: { Accept: "application/json" },
                body: new URLSearchParams(fields),
            });
        } catch {
            throw new OpaqueClientError("network", "Network error");
        }
        if (!response.ok) {
            if (response.status === 400) {
                let body;
                try {
                    body = await response.json();
                } catch {
                    body = undefined;
                }
                if (body && typeof body === "object" && body.error === "invalid_grant") return body;
            }
            throw new OpaqueClientError("http-status", "Unexpected HTTP status");
        }
        try {
            return await response.json();
        } catch {
            throw new OpaqueClientError("bad-response", "Unexpected server answer");
        }
    };
}

function nativeSubmit(form, action) {
    form.action = action;
    // The prototype's submit(): immune to a control named "submit", and fires no submit event.
    HTMLFormElement.prototype.submit.call(form);
}

/**
 * Starts loading the suite's OPAQUE bundle at once, so the wasm compiles while the user types.
 * A failed download is retried on the next call; a refused wasm compilation is final.
 */
function suiteLoader(form) {
    let promise;
    return () => {
        if (!promise) {
            promise = (async () => {
                if (!hasWebAssembly()) {
                    throw new OpaqueClientError("no-wasm", "WebAssembly unavailable");
                }
                const info = suiteInfo(form.dataset.suite);
                let mod;
                try {
                    mod = await LOADERS[info.module]();
                } catch {
                    promise = undefined;
                    throw new OpaqueClientError("load-failed", "OPAQUE client could not be loaded");
                }
                try {
                    await mod.ready;
                } catch {
                    // wasm compilation refused, e.g. by a CSP without 'wasm-unsafe-eval'.
                    throw new OpaqueClientError("no-wasm", "WebAssembly unavailable");
                }
                return mod;
            })();
            promise.catch(() => {});
        }
        return promise;
    };
}

function failureText(form, error) {
    return error instanceof OpaqueClientError && error.code === "no-wasm"
        ? message(form, "noWasm")
        : message(form, "error");
}

/**
 * Intercepts the form's submit and runs `run` once at a time. `run` resolves to true when it
 * submitted the form natively (the page goes away), false when it showed messages itself.
 */
function guard(form, run) {
    let busy = false;
    form.addEventListener("submit", (event) => {
        if (isPassThrough(event.submitter)) {
            return;
        }
        event.preventDefault();
        if (busy) {
            return;
        }
        busy = true;
        clearErrors(form);
        setBusy(form, true);
        run()
            .then((submitted) => {
                if (!submitted) {
                    busy = false;
                    setBusy(form, false);
                    refocus(form);
                }
            })
            .catch((error) => {
                busy = false;
                setBusy(form, false);
                showErrors(form, [failureText(form, error)]);
                if (error instanceof OpaqueClientError && error.code === "no-wasm") {
                    block(form);
                }
                refocus(form);
            });
    });
    // Back/forward cache: a restored page must be usable again.
    window.addEventListener("pageshow", (event) => {
        if (event.persisted && busy) {
            busy = false;
            setBusy(form, false);
        }
    });
}

/** The form's action as the server rendered it: every next action must be under its login-actions path. */
function renderedAction(form) {
    return form.getAttribute("action") || window.location.href;
}

function initLogin(form, loadSuite) {
    const passwordInput = form.querySelector("#password");
    const home = renderedAction(form);
    guard(form, async () => {
        const usernameInput = field(form, "username");
        const username = usernameInput ? usernameInput.value : "";
        const password = passwordInput ? passwordInput.value : "";
        const missing = [];
        if (usernameInput && username.trim() === "") missing.push(usernameInput);
        if (password === "") missing.push(passwordInput);
        if (missing.length > 0) {
            showErrors(form, [message(form, "required")]);
            markInvalid([usernameInput, passwordInput], missing);
            return false;
        }
        const opaque = await loadSuite();
        const result = await login({
            opaque,
            password,
            username,
            suite: form.dataset.suite,
            ksf: form.dataset.ksf,
            post: makePost(form.action),
            pageUrl: window.location.href,
            formAction: home,
        });
        const action = checkAction(result.action, window.location.href, home);
        if (passwordInput) {
            passwordInput.value = "";
        }
        if (result.step === "legacy-failed" || result.step === "login-failed") {
            // the same message a wrong OPAQUE password gets; the next attempt starts at the fresh action
            form.action = action;
            showErrors(form, [result.message || message(form, "invalid")]);
            markInvalid([usernameInput, passwordInput], [passwordInput]);
            return false;
        }
        if (result.step === "legacy-record") {
            setHidden(form, "record", result.record);
            setHidden(form, "opaque_step", "legacy-record");
        } else if (result.step === "rekey-record" || result.step === "rekey-skip") {
            // re-registration under the active setup secret (rekey.js); a skip still completes the login
            if (result.step === "rekey-record") {
                setHidden(form, "record", result.record);
                setHidden(form, "proof", result.proof);
            }
            setHidden(form, "opaque_step", result.step);
        } else {
            setHidden(form, "ke3", result.ke3);
            setHidden(form, "opaque_step", "ke3");
        }
        nativeSubmit(form, action);
        return true;
    });
}

function initRegister(form, loadSuite) {
    const newInput = form.querySelector("#password-new");
    const confirmInput = form.querySelector("#password-confirm");
    const home = renderedAction(form);
    guard(form, async () => {
        const password = newInput ? newInput.value : "";
        const d = form.dataset;
        const errors = checkNewPassword({
            password,
            confirm: confirmInput ? confirmInput.value : "",
            minLength: d.minLength,
            maxLength: d.maxLength,
            username: d.username,
            email: d.email,
            notUsername: d.notUsername,
            notContainsUsername: d.notContainsUsername,
            notEmail: d.notEmail,
        });
        if (errors.length > 0) {
            showErrors(
                form,
                errors.map((code) => {
                    if (code === "empty" && !d.msgEmpty && Number(d.minLength) > 0) {
                        return message(form, "tooShort", d.minLength); // Keycloak's answer to an empty password under a length policy
                    }
                    return message(
                        form,
                        code,
                        code === "tooShort" ? d.minLength : code === "tooLong" ? d.maxLength : undefined,
                    );
                }),
            );
            markInvalid([newInput, confirmInput], [errors[0] === "mismatch" ? confirmInput : newInput]);
            return false;
        }
        markInvalid([newInput, confirmInput], []);
        const opaque = await loadSuite();
        const result = await register({
            opaque,
            password,
            suite: d.suite,
            ksf: d.ksf,
            post: makePost(form.action),
        });
        const action = checkAction(result.action, window.location.href, home);
        setHidden(form, "record", result.record);
        setHidden(form, "opaque_step", "registration-record");
        if (newInput) newInput.value = "";
        if (confirmInput) confirmInput.value = "";
        nativeSubmit(form, action);
        return true;
    });
}

function opaqueForm(kind, legacyId) {
    const form = document.querySelector(`form[data-keyward-opaque="${kind}"]`) || document.getElementById(legacyId);
    // Only OPAQUE forms: they carry the opaque_step hidden input.
    return form instanceof HTMLFormElement && field(form, "opaque_step") ? form : null;
}

/**
 * The templates render the submit button disabled, with a hint that the page's script must run,
 * so a page whose script never runs (blocked, refused by a CSP, a browser too old for modules)
 * says so instead of offering a button that does nothing. The script ran: the hint goes (removed,
 * as a theme's class may give it a display that beats "hidden").
 */
function dropScriptHint() {
    const hint = document.getElementById(HINT_ID);
    if (hint) hint.remove();
    // the fields name it in aria-describedby, for those who never reach the disabled button
    for (const field of document.querySelectorAll(`[aria-describedby~="${HINT_ID}"]`)) {
        const rest = field
            .getAttribute("aria-describedby")
            .split(/\s+/)
            .filter((id) => id && id !== HINT_ID);
        if (rest.length) field.setAttribute("aria-describedby", rest.join(" "));
        else field.removeAttribute("aria-describedby");
    }
}

/** Handlers attached: the buttons work now; data-keyward-ready tells tests and styles so. */
function markReady(form) {
    for (const button of submitButtons(form)) {
        button.disabled = false;
    }
    form.setAttribute("data-keyward-ready", "");
    dropScriptHint();
}

function init() {
    const pages = [
        [opaqueForm("login", "kc-form-login"), initLogin],
        [opaqueForm("register", "kc-opaque-register"), initRegister],
    ];
    for (const [form, setup] of pages) {
        if (!form) continue;
        if (!hasWebAssembly()) {
            // the hint would say to reload; the error says why that will not help
            dropScriptHint();
            showErrors(form, [message(form, "noWasm")]);
            block(form);
            continue;
        }
        statusRegion(form);
        const loadSuite = suiteLoader(form);
        setup(form, loadSuite);
        markReady(form);
        loadSuite().catch((error) => {
            // Only a final failure is shown now; anything else is retried (and reported) on submit.
            if (error instanceof OpaqueClientError && error.code === "no-wasm") {
                showErrors(form, [message(form, "noWasm")]);
                block(form);
            }
        });
    }
}

if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init, { once: true });
} else {
    init();
}
