// Page-independent OPAQUE client logic for Keyward's login and registration pages.
//
// Nothing in this module touches the DOM or the network: the OPAQUE library (`opaque`, the
// module namespace of @serenity-kit/opaque or @serenity-kit/opaque-p256) and the transport
// (`post`, which sends form fields to the authenticator and resolves to its parsed JSON answer)
// are passed in, so the same code runs in the browser bundle and under `node --test`.
//
// Never log a password or a protocol message from here: errors carry fixed texts only.

import { offered, rekeyLogin } from "./rekey.js";

/** Wire sizes (bytes, before base64url) of the RFC 9807 messages, per suite. */
export const SUITES = Object.freeze({
    "ristretto255-SHA512": Object.freeze({
        id: "ristretto255-SHA512",
        module: "ristretto255",
        registrationRequest: 32,
        registrationResponse: 64,
        record: 192,
        ke1: 96,
        ke2: 320,
        ke3: 64,
    }),
    "P256-SHA256": Object.freeze({
        id: "P256-SHA256",
        module: "p256",
        registrationRequest: 33,
        registrationResponse: 66,
        record: 129,
        ke1: 98,
        ke2: 259,
        ke3: 32,
    }),
});

export const DEFAULT_SUITE = "ristretto255-SHA512";

/** Argon2id parameters of serenity's "memory-constrained" preset (its default). */
export const MEMORY_CONSTRAINED = Object.freeze({ t: 3, m: 65536, p: 4 });

/** An error whose message is safe to show or log: it never contains secrets. */
export class OpaqueClientError extends Error {
    constructor(code, message) {
        super(message || code);
        this.name = "OpaqueClientError";
        this.code = code;
    }
}

/** The suite description for a data-suite value; absent means the default suite. */
export function suiteInfo(name) {
    const key = name == null || name === "" ? DEFAULT_SUITE : String(name);
    const info = Object.prototype.hasOwnProperty.call(SUITES, key) ? SUITES[key] : undefined;
    if (!info) {
        throw new OpaqueClientError("unsupported-suite", "Unsupported OPAQUE suite");
    }
    return info;
}

function positiveInt(value, max) {
    return Number.isSafeInteger(value) && value >= 1 && value <= max;
}

/**
 * Maps the data-ksf attribute ({"t":iterations,"m":memoryKiB,"p":parallelism}, as a JSON string
 * or an object) to serenity's `keyStretching` option. Absent means serenity's default.
 */
export function keyStretchingFor(ksf) {
    if (ksf == null || ksf === "") {
        return "memory-constrained";
    }
    let params = ksf;
    if (typeof ksf === "string") {
        try {
            params = JSON.parse(ksf);
        } catch {
            throw new OpaqueClientError("bad-ksf", "Invalid key-stretching parameters");
        }
    }
    if (params === null || typeof params !== "object" || Array.isArray(params)) {
        throw new OpaqueClientError("bad-ksf", "Invalid key-stretching parameters");
    }
    const { t, m, p } = params;
    // Argon2 limits: t >= 1, p in 1..2^24-1, m >= 8p KiB; memory capped at 4 GiB for wasm32.
    if (!positiveInt(t, 0xffffffff) || !positiveInt(p, 0xffffff) || !positiveInt(m, 4194304) || m < 8 * p) {
        throw new OpaqueClientError("bad-ksf", "Invalid key-stretching parameters");
    }
    if (t === MEMORY_CONSTRAINED.t && m === MEMORY_CONSTRAINED.m && p === MEMORY_CONSTRAINED.p) {
        return "memory-constrained";
    }
    return { "argon2id-custom": { iterations: t, memory: m, parallelism: p } };
}

const B64URL_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const B64URL_RE = /^[A-Za-z0-9_-]*$/;

/** Length of the unpadded base64url encoding of n bytes. */
export function base64UrlLength(n) {
    return Math.ceil((4 * n) / 3);
}

/** Unpadded base64url of a byte array (what serenity and the authenticator speak). */
export function toBase64Url(bytes) {
    let out = "";
    let i = 0;
    for (; i + 2 < bytes.length; i += 3) {
        const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
        out +=
            B64URL_ALPHABET[v >> 18] +
            B64URL_ALPHABET[(v >> 12) & 63] +
            B64URL_ALPHABET[(v >> 6) & 63] +
            B64URL_ALPHABET[v & 63];
    }
    const rest = bytes.length - i;
    if (rest === 1) {
        const v = bytes[i] << 16;
        out += B64URL_ALPHABET[v >> 18] + B64URL_ALPHABET[(v >> 12) & 63];
    } else if (rest === 2) {
        const v = (bytes[i] << 16) | (bytes[i + 1] << 8);
        out += B64URL_ALPHABET[v >> 18] + B64URL_ALPHABET[(v >> 12) & 63] + B64URL_ALPHABET[(v >> 6) & 63];
    }
    return out;
}

/** Decodes strict unpadded base64url (canonical trailing bits); throws on anything else. */
export function fromBase64Url(text) {
    if (typeof text !== "string" || !B64URL_RE.test(text) || text.length % 4 === 1) {
        throw new OpaqueClientError("bad-base64url", "Not unpadded base64url");
    }
    const out = new Uint8Array(Math.floor((text.length * 3) / 4));
    let bits = 0;
    let acc = 0;
    let o = 0;
    for (let i = 0; i < text.length; i++) {
        acc = (acc << 6) | B64URL_ALPHABET.indexOf(text[i]);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (acc >> bits) & 0xff;
        }
    }
    if ((acc & ((1 << bits) - 1)) !== 0) {
        throw new OpaqueClientError("bad-base64url", "Not canonical base64url");
    }
    return out;
}

/** True when text is canonical unpadded base64url of exactly `bytes` bytes (any length if omitted). */
export function isBase64Url(text, bytes) {
    if (typeof text !== "string") return false;
    if (bytes !== undefined && text.length !== base64UrlLength(bytes)) return false;
    try {
        fromBase64Url(text);
        return true;
    } catch {
        return false;
    }
}

function defaultRandomBytes(n) {
    const bytes = new Uint8Array(n);
    globalThis.crypto.getRandomValues(bytes);
    return bytes;
}

/**
 * A KE3 of the suite's size filled with random bytes: sent when the client cannot finish the
 * login (wrong password, unknown user) so the server still runs its failure path (brute-force
 * counter, LOGIN_ERROR event) and answers with the same page as for any wrong password.
 */
export function fakeKe3(suite, randomBytes = defaultRandomBytes) {
    return toBase64Url(randomBytes(suiteInfo(suite).ke3));
}

function equalsIgnoreCase(a, b) {
    // Like Java's String.equalsIgnoreCase (Keycloak's notEmail policy), char by char.
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
        const x = a[i];
        const y = b[i];
        if (x === y) continue;
        if (x.toUpperCase() === y.toUpperCase() || x.toLowerCase() === y.toLowerCase()) continue;
        return false;
    }
    return true;
}

function parseLength(value) {
    if (value == null || value === "") return undefined;
    const n = typeof value === "number" ? value : Number(String(value).trim());
    return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

function flag(value, fallback) {
    if (value === undefined || value === null || value === "") return fallback;
    return value === true || String(value).trim().toLowerCase() === "true";
}

/**
 * The checks Keycloak's password policy would run on a new password, done in the page because the
 * server never sees the password. Returns the failed checks in display order: 'empty', 'mismatch',
 * 'tooShort', 'tooLong', 'equalsUsername', 'containsUsername', 'equalsEmail'.
 *
 * - lengths count UTF-16 code units, like Java's String.length() in Keycloak's length policies;
 *   an absent, zero or unparsable length means no such policy;
 * - notUsername (exact, like NotUsernamePasswordPolicyProvider) is on when the flag says so, or,
 *   without a flag, whenever a username is given; notEmail likewise (case-insensitive, like
 *   NotEmailPasswordPolicyProvider);
 * - notContainsUsername (flag, off by default) refuses a password that contains the username and,
 *   as Keycloak's NotContainsUsernamePasswordPolicyProvider actually tests, one the username contains.
 */
export function checkNewPassword({
    password,
    confirm,
    minLength,
    maxLength,
    username,
    email,
    notUsername,
    notContainsUsername,
    notEmail,
}) {
    const errors = [];
    const pw = password == null ? "" : String(password);
    if (pw.length === 0) {
        errors.push("empty");
        return errors;
    }
    if (pw !== (confirm == null ? "" : String(confirm))) {
        errors.push("mismatch");
    }
    const min = parseLength(minLength);
    if (min !== undefined && pw.length < min) {
        errors.push("tooShort");
    }
    const max = parseLength(maxLength);
    if (max !== undefined && pw.length > max) {
        errors.push("tooLong");
    }
    const user = username == null ? "" : String(username);
    const mail = email == null ? "" : String(email);
    if (user !== "" && flag(notUsername, true) && pw === user) {
        errors.push("equalsUsername");
    } else if (user !== "" && flag(notContainsUsername, false) && (pw.includes(user) || user.includes(pw))) {
        errors.push("containsUsername");
    }
    if (mail !== "" && flag(notEmail, true) && equalsIgnoreCase(pw, mail)) {
        errors.push("equalsEmail");
    }
    return errors;
}

const LOGIN_ACTIONS = "/login-actions/";

/**
 * The URL the form must be submitted to next: the server's `action`, only if it is an http(s)
 * URL of the page's own origin whose path is under the realm's login-actions path, the prefix of
 * `formAction` (the form's action as the server rendered it, e.g. /realms/demo/login-actions/…)
 * up to and including "/login-actions/". So a confused answer can send the form (and in the
 * legacy step, the password) neither elsewhere nor to another endpoint or realm of this server.
 * `formAction` defaults to `pageUrl`; relative URLs resolve against `pageUrl`.
 */
export function checkAction(action, pageUrl, formAction = pageUrl) {
    if (typeof action !== "string" || action === "") {
        throw new OpaqueClientError("bad-response", "Missing action URL");
    }
    let url;
    let base;
    let home;
    try {
        base = new URL(pageUrl);
        url = new URL(action, base);
        home = new URL(formAction, base);
    } catch {
        throw new OpaqueClientError("bad-response", "Invalid action URL");
    }
    if ((url.protocol !== "https:" && url.protocol !== "http:") || url.origin !== base.origin) {
        throw new OpaqueClientError("bad-response", "Action URL is not same-origin");
    }
    // the last occurrence: a realm may itself be named "login-actions"
    const at = home.pathname.lastIndexOf(LOGIN_ACTIONS);
    const prefix = at < 0 || home.origin !== base.origin ? null : home.pathname.slice(0, at + LOGIN_ACTIONS.length);
    // URL() has already resolved "." and ".." segments; an encoded "/" or "\" could still climb
    // out of the prefix once a server decodes it, and so could path parameters ("..;/") or double
    // encoding on some servers: Keycloak's login actions use none of them, so none is accepted
    if (prefix === null || !url.pathname.startsWith(prefix) || /%2f|%5c|%25|;/i.test(url.pathname)) {
        throw new OpaqueClientError("bad-response", "Action URL is not a login action of this realm");
    }
    return url.href;
}

function requireObject(answer) {
    if (answer === null || typeof answer !== "object") {
        throw new OpaqueClientError("bad-response", "Unexpected server answer");
    }
    return answer;
}

async function ready(opaque) {
    if (opaque && opaque.ready && typeof opaque.ready.then === "function") {
        await opaque.ready;
    }
}

/**
 * Runs the OPAQUE login: KE1 to the server through `post`, KE2 back, then KE3.
 *
 * With legacy migration on, the server may answer KE1 with `{"legacy": true, "action"}` instead
 * (the user still has only a Keycloak password): the typed password is then sent once, with a
 * registration request, to `action` (checked to be same-origin with `pageUrl` first), and on
 * success the registration is finished with the same password, so the user types it only once.
 *
 * @param {object} p
 * @param {object} p.opaque    the serenity module (client.startLogin/finishLogin, ready)
 * @param {string} p.password
 * @param {string} p.username  sent with KE1
 * @param {string} [p.suite]   data-suite value
 * @param {string|object} [p.ksf] data-ksf value
 * @param {(fields: Record<string,string>, url?: string) => Promise<any>} p.post  sends form fields
 *   (to `url`, else the form's action), resolves to parsed JSON; also for a 400 `invalid_grant`
 * @param {string} [p.pageUrl] the page's URL: the legacy step only goes to its origin
 * @param {string} [p.formAction] the form's action as rendered (default `pageUrl`): the legacy and
 *   rekey steps only go under its login-actions path (see `checkAction`)
 * @param {(n: number) => Uint8Array} [p.randomBytes]
 * @returns {Promise<object>} one of
 *   `{step: 'ke3', ke3, action, ok}` (ok=false: KE3 is the random stand-in),
 *   `{step: 'legacy-record', record, action, ok: true}` (submit the record to action),
 *   `{step: 'legacy-failed', message, action, ok: false}` (show message; next attempt goes to action),
 *   or, when the KE1 answer's `rekey` offers a re-registration under the active setup secret, what
 *   `rekeyLogin` (rekey.js) returns: `rekey-record`, `rekey-skip` or `login-failed`
 */
export async function login({ opaque, password, username, suite, ksf, post, pageUrl, formAction, randomBytes }) {
    const info = suiteInfo(suite);
    const keyStretching = keyStretchingFor(ksf);
    await ready(opaque);
    const { clientLoginState, startLoginRequest } = opaque.client.startLogin({ password });
    const answer = requireObject(
        await post({ opaque_step: "ke1", username: username == null ? "" : String(username), ke1: startLoginRequest }),
    );
    if (answer.legacy === true) {
        return legacyLogin({ opaque, password, info, keyStretching, post, pageUrl, formAction, action: answer.action });
    }
    const { ke2, action } = answer;
    if (!isBase64Url(ke2, info.ke2)) {
        throw new OpaqueClientError("bad-response", "Unexpected KE2");
    }
    if (typeof action !== "string" || action === "") {
        throw new OpaqueClientError("bad-response", "Missing action URL");
    }
    let result;
    try {
        result = opaque.client.finishLogin({ clientLoginState, loginResponse: ke2, password, keyStretching });
    } catch {
        // A well-formed KE2 the client cannot open is a failed login, not a page error: let the
        // server count it like any wrong password.
        result = undefined;
    }
    if (result && isBase64Url(result.finishLoginRequest, info.ke3)) {
        if (pageUrl != null && (await offered(result.sessionKey, answer.rekey))) {
            // the record is under an older setup secret: re-register under the active one now (rekey.js)
            return rekeyLogin({
                opaque,
                password,
                info,
                keyStretching,
                post,
                target: checkAction(action, pageUrl, formAction),
                ke3: result.finishLoginRequest,
                sessionKey: result.sessionKey,
            });
        }
        return { step: "ke3", ke3: result.finishLoginRequest, action, ok: true };
    }
    return { step: "ke3", ke3: fakeKe3(info.id, randomBytes), action, ok: false };
}

/**
 * The legacy step: the one request that carries the password. Only to a same-origin action, and
 * only together with the registration request whose record will replace the legacy password.
 */
async function legacyLogin({ opaque, password, info, keyStretching, post, pageUrl, formAction, action }) {
    if (pageUrl == null) {
        throw new OpaqueClientError("bad-response", "Legacy step without a page URL");
    }
    const target = checkAction(action, pageUrl, formAction);
    const { clientRegistrationState, registrationRequest } = opaque.client.startRegistration({ password });
    const answer = requireObject(
        await post({ opaque_step: "legacy", password: String(password), request: registrationRequest }, target),
    );
    if (answer.error === "invalid_grant") {
        if (typeof answer.action !== "string" || answer.action === "") {
            throw new OpaqueClientError("bad-response", "Missing action URL");
        }
        const message = typeof answer.message === "string" ? answer.message : "";
        return { step: "legacy-failed", message, action: answer.action, ok: false };
    }
    const { record, action: next } = finishRegistration({
        opaque,
        info,
        keyStretching,
        password,
        clientRegistrationState,
        answer,
    });
    return { step: "legacy-record", record, action: next, ok: true };
}

/** Checks the server's registration answer and finishes the registration: the record and the next action. */
function finishRegistration({ opaque, info, keyStretching, password, clientRegistrationState, answer }) {
    const { response, action } = answer;
    if (!isBase64Url(response, info.registrationResponse)) {
        throw new OpaqueClientError("bad-response", "Unexpected registration response");
    }
    if (typeof action !== "string" || action === "") {
        throw new OpaqueClientError("bad-response", "Missing action URL");
    }
    let result;
    try {
        result = opaque.client.finishRegistration({
            clientRegistrationState,
            registrationResponse: response,
            password,
            keyStretching,
        });
    } catch {
        throw new OpaqueClientError("bad-response", "Registration could not be finished");
    }
    if (!result || !isBase64Url(result.registrationRecord, info.record)) {
        throw new OpaqueClientError("bad-response", "Registration could not be finished");
    }
    return { record: result.registrationRecord, action };
}

/**
 * Runs the OPAQUE registration: registration request to the server through `post`, response
 * back, then the record (which the caller submits with the form).
 *
 * @returns {Promise<{record: string, action: string}>}
 */
export async function register({ opaque, password, suite, ksf, post }) {
    const info = suiteInfo(suite);
    const keyStretching = keyStretchingFor(ksf);
    await ready(opaque);
    const { clientRegistrationState, registrationRequest } = opaque.client.startRegistration({ password });
    const answer = requireObject(await post({ opaque_step: "registration-request", request: registrationRequest }));
    return finishRegistration({ opaque, info, keyStretching, password, clientRegistrationState, answer });
}
