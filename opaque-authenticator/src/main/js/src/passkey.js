// Keyward passkey script for login-opaque.ftl: passkeys on the OPAQUE page, as Keycloak's own
// username/password form offers them when the realm's passwordless policy enables passkeys.
//
// Bundled to keyward-opaque-passkey-<hash>.js, which the page loads only when it offers passkeys.
// The server (Keycloak's WebAuthn authenticator, through the OPAQUE step) put the challenge and the
// policy on form#keyward-passkey-form as data-* attributes; this script
//   - starts a conditional request (navigator.credentials.get with mediation "conditional") at once,
//     so the browser offers the user's passkeys in the username field's autofill
//     (autocomplete="username webauthn"); nothing shows unless the user picks one;
//   - on "Sign in with a passkey" (#keyward-passkey-signin) aborts it and asks with a dialog;
//   - posts the assertion (or, from the button, the browser's error, as Keycloak's page does) with
//     opaque_step=passkey to the login form's current action; the server checks it.
// A conditional request that ends without a credential posts nothing: the user just types a password.
// Nothing here logs.

/** Reads the offer the template put on the passkey form (data-* attributes). */
export function readOffer(data) {
    const allow = (data.allowCredentials || "")
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
    const timeout = Number.parseInt(data.timeout || "0", 10);
    return {
        challenge: data.challenge || "",
        rpId: data.rpId || "",
        userVerification: data.userVerification || "not specified",
        timeoutSeconds: Number.isFinite(timeout) && timeout > 0 ? timeout : 0,
        mediation: data.mediation || "conditional",
        userIdentified: data.userIdentified === "true",
        allowCredentials: allow,
    };
}

/**
 * Whether the page starts the conditional (autofill) request on load: not for a user an earlier
 * step already identified (the username field is gone; the button asks for that user's passkeys),
 * not when the policy's mediation is "none", and only where the browser supports conditional
 * mediation. The same rules as Keycloak's passkeysConditionalAuth.js.
 */
export function startsConditional(offer, conditionalMediationAvailable) {
    return !offer.userIdentified && offer.mediation !== "none" && conditionalMediationAvailable === true;
}

/**
 * The options of navigator.credentials.get, as Keycloak's own scripts build them.
 * kind "conditional": the autofill request (mediation "conditional", no allowCredentials: the
 * browser lists the discoverable passkeys for this relying party); kind "button": the dialog, with
 * the known user's credentials as allowCredentials.
 */
export function requestOptions(offer, kind, signal) {
    const publicKey = {
        rpId: offer.rpId,
        challenge: fromBase64Url(offer.challenge),
    };
    if (offer.timeoutSeconds !== 0) {
        publicKey.timeout = offer.timeoutSeconds * 1000;
    }
    if (kind === "conditional") {
        publicKey.allowCredentials = [];
    } else {
        publicKey.allowCredentials = offer.userIdentified
            ? offer.allowCredentials.map((id) => ({ id: fromBase64Url(id), type: "public-key" }))
            : [];
    }
    if (offer.userVerification !== "not specified") {
        publicKey.userVerification = offer.userVerification;
    }
    const options = { publicKey };
    if (kind === "conditional") {
        options.mediation = "conditional";
    }
    if (signal) {
        options.signal = signal;
    }
    return options;
}

/** The form fields Keycloak's WebAuthn authenticator reads, from a PublicKeyCredential. */
export function assertionFields(credential) {
    const r = credential.response;
    return {
        clientDataJSON: toBase64Url(new Uint8Array(r.clientDataJSON)),
        authenticatorData: toBase64Url(new Uint8Array(r.authenticatorData)),
        signature: toBase64Url(new Uint8Array(r.signature)),
        credentialId: credential.id,
        userHandle: r.userHandle ? toBase64Url(new Uint8Array(r.userHandle)) : "",
    };
}

/** base64url without padding. */
export function toBase64Url(bytes) {
    let binary = "";
    for (const b of bytes) binary += String.fromCharCode(b);
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Decodes base64url (padding optional, as Keycloak's loose parsing). */
export function fromBase64Url(text) {
    const std = text.replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, "");
    const binary = atob(std + "=".repeat((4 - (std.length % 4)) % 4));
    const out = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
}

// --- the page

let pending = null; // the AbortController of the request in flight

function abortPending() {
    if (pending) {
        const reason = new Error("Replaced by another passkey request");
        reason.name = "AbortError";
        pending.abort(reason);
    }
    pending = new AbortController();
    return pending.signal;
}

function post(form, fields) {
    // the OPAQUE page script moves the login form to a fresh one-time action after each exchange
    const login = document.getElementById("kc-opaque-login-form");
    if (login && login.action) form.action = login.action;
    for (const [name, value] of Object.entries(fields)) {
        const input = form.querySelector(`input[name="${name}"]`);
        if (input) input.value = value;
    }
    const rememberMe = document.getElementById("rememberMe");
    const remember = form.querySelector('input[name="rememberMe"]');
    if (rememberMe && remember) {
        remember.value = rememberMe.checked ? "on" : "off";
        remember.disabled = false;
    }
    form.submit();
}

async function startConditional(form, offer) {
    let available = false;
    try {
        available =
            typeof PublicKeyCredential.isConditionalMediationAvailable === "function" &&
            (await PublicKeyCredential.isConditionalMediationAvailable());
    } catch {
        available = false;
    }
    if (!startsConditional(offer, available)) return;
    try {
        const credential = await navigator.credentials.get(requestOptions(offer, "conditional", abortPending()));
        if (credential) post(form, assertionFields(credential));
    } catch {
        // aborted by the button, or no passkey chosen: the page stays as it is
    }
}

async function signInWithButton(form, offer, button) {
    button.disabled = true;
    try {
        const credential = await navigator.credentials.get(requestOptions(offer, "button", abortPending()));
        if (credential) {
            post(form, assertionFields(credential));
            return;
        }
        post(form, { error: "no credential" });
    } catch (e) {
        // as Keycloak's page: the server shows its passkey error and the page again
        post(form, { error: String((e && e.name) || e) });
    }
}

function init() {
    const form = document.getElementById("keyward-passkey-form");
    const button = document.getElementById("keyward-passkey-signin");
    if (!form) return;
    if (!window.PublicKeyCredential || !navigator.credentials) {
        if (button) button.hidden = true;
        return;
    }
    const offer = readOffer(form.dataset);
    if (button) {
        if (button.dataset.class) button.className = button.dataset.class;
        button.hidden = false;
        button.addEventListener("click", (event) => {
            event.preventDefault();
            signInWithButton(form, offer, button);
        });
    }
    startConditional(form, offer);
}

if (typeof document !== "undefined") {
    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
}
