// A Node client of Keyward's OPAQUE login (keyward-opaque-login) and registration
// (keyward-opaque-register), over plain HTTP, without a browser: the executable reference of
// opaque-authenticator/WIRE.md. Node 20 built-ins (fetch, crypto) and @serenity-kit/opaque only.
//
//   KEYWARD_PASSWORD=... node opaque-login.mjs login    --realm-url URL --client-id ID --redirect-uri URI --username NAME [--no-rekey]
//   KEYWARD_PASSWORD=... KEYWARD_LEGACY_PASSWORD=... node opaque-login.mjs register --realm-url URL ...
//
// Passwords come from the environment, not the command line, so they never show in a process list.
// `login` runs an OIDC authorization-code request with PKCE (S256) through the realm's OPAQUE form.
// `register` signs in once with the user's legacy Keycloak password (Keycloak's own password form)
// and sets the OPAQUE password on the keyward-opaque-register required-action page.
// Both stop at the redirect to --redirect-uri (no relying party needed), exchange the code at the
// token endpoint with the PKCE verifier, check the ID token's signature (realm JWKS), issuer,
// audience and nonce, and print one JSON object on stdout:
//   {"ok":true, "mode", "clientAccepted", "rekeyed"?, "idToken":{claims}, "accessToken":{claims}}
// ("rekeyed": the server offered a re-registration under its active setup secret and this client
// did it, WIRE.md "Re-registration under the active setup secret")
//   {"ok":false, "mode", "error", "status"?, "message"?, "clientAccepted"?}
// "message" is the text of the page's alert (e.g. "Invalid username or password."). Exit code 0
// whenever the JSON was printed; 2 for bad usage. Nothing secret is printed.

import { createHash, createHmac, createPublicKey, randomBytes, timingSafeEqual, verify } from "node:crypto";
import { parseArgs } from "node:util";
import * as opaque from "@serenity-kit/opaque";

const SUITE = "ristretto255-SHA512"; // @serenity-kit/opaque's suite; P256-SHA256 needs @serenity-kit/opaque-p256
const KE3_BYTES = 64;
const MEMORY_CONSTRAINED = { t: 3, m: 65536, p: 4 };
const MAX_REDIRECTS = 10;

class Failure extends Error {
    constructor(error, details = {}) {
        super(error);
        this.details = details;
    }
}

const b64url = (bytes) => Buffer.from(bytes).toString("base64url");

// ---- HTTP with a cookie jar ---------------------------------------------------------------------

/**
 * Keycloak ties the login to its authentication-session cookies (AUTH_SESSION_ID, KC_RESTART,
 * ...), set on /realms/<realm>/. One host, one realm: a name -> value map is enough. Secure
 * cookies are kept on http://localhost too, as browsers do.
 */
class Session {
    constructor(origin) {
        this.origin = origin;
        this.cookies = new Map();
    }

    async request(url, { method = "GET", form, accept } = {}) {
        const headers = {};
        if (this.cookies.size > 0) {
            headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
        }
        if (accept) headers.accept = accept;
        let body;
        if (form) {
            headers["content-type"] = "application/x-www-form-urlencoded";
            body = new URLSearchParams(form).toString();
        }
        const response = await fetch(url, { method, headers, body, redirect: "manual" });
        for (const line of response.headers.getSetCookie()) {
            const [pair, ...attributes] = line.split(";");
            const eq = pair.indexOf("=");
            const name = pair.slice(0, eq).trim();
            const value = pair.slice(eq + 1).trim();
            const expired = attributes.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a));
            if (value === "" || expired) this.cookies.delete(name);
            else this.cookies.set(name, value);
        }
        return response;
    }

    /**
     * Follows redirects that stay on Keycloak; stops at a redirect elsewhere (the relying party's
     * redirect_uri) or at the first non-redirect answer. Returns {response, location?}.
     */
    async follow(response) {
        for (let i = 0; i < MAX_REDIRECTS; i++) {
            if (response.status < 300 || response.status >= 400) return { response };
            const location = new URL(response.headers.get("location"), this.origin).href;
            if (new URL(location).origin !== this.origin || !location.includes("/realms/")) {
                return { response, location };
            }
            await response.arrayBuffer();
            response = await this.request(location);
        }
        throw new Failure("too_many_redirects");
    }
}

// ---- the HTML bits the client needs ---------------------------------------------------------------

function decodeEntities(text) {
    return text.replace(/&(#x[0-9a-f]+|#[0-9]+|quot|amp|apos|lt|gt|#39);/gi, (_, e) => {
        const named = { quot: '"', amp: "&", apos: "'", lt: "<", gt: ">" };
        if (e[0] !== "#") return named[e.toLowerCase()];
        return String.fromCodePoint(e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    });
}

/** Attributes of the first <form> for which `match(attributes)` is true, or null. */
function findForm(html, match) {
    for (const tag of html.matchAll(/<form\b[^>]*>/gi)) {
        const attributes = {};
        for (const a of tag[0].matchAll(/([\w:-]+)\s*=\s*"([^"]*)"/g)) {
            attributes[a[1].toLowerCase()] = decodeEntities(a[2]);
        }
        if (match(attributes)) return attributes;
    }
    return null;
}

/** The text of the page's alert (Keycloak's message area), or undefined. */
function alertText(html) {
    const m = html.match(/class="[^"]*kc-feedback-text[^"]*"[^>]*>([^<]*)</);
    return m ? decodeEntities(m[1]).trim() : undefined;
}

/**
 * data-suite and data-ksf of an OPAQUE form. The KSF (Argon2id t, m KiB, p) is part of the
 * password's derivation: login must stretch with exactly the parameters the registration used,
 * else the envelope does not open and the login fails like a wrong password. So the client takes
 * them from the page (the server's configuration) rather than assuming serenity's default.
 * Mapping as the page script's (opaque-authenticator/src/main/js/README.md): {"t":3,"m":65536,
 * "p":4} is serenity's "memory-constrained", anything else {"argon2id-custom": {...}}.
 */
function opaqueParameters(form) {
    if ((form["data-suite"] || SUITE) !== SUITE) {
        throw new Failure("unsupported_suite", { suite: form["data-suite"] });
    }
    if (!form["data-ksf"]) return "memory-constrained";
    const { t, m, p } = JSON.parse(form["data-ksf"]);
    if (t === MEMORY_CONSTRAINED.t && m === MEMORY_CONSTRAINED.m && p === MEMORY_CONSTRAINED.p) {
        return "memory-constrained";
    }
    return { "argon2id-custom": { iterations: t, memory: m, parallelism: p } };
}

/** POSTs a fetch step; the answer must be 200 JSON. */
async function fetchStep(session, action, form) {
    const response = await session.request(action, { method: "POST", form, accept: "application/json" });
    const text = await response.text();
    let json;
    try {
        json = JSON.parse(text);
    } catch {
        throw new Failure("not_json", { status: response.status, message: alertText(text) });
    }
    if (response.status !== 200) {
        throw new Failure(json.error || "http_error", { status: response.status });
    }
    return json;
}

// ---- OIDC ---------------------------------------------------------------------------------------

function startAuthorization(args) {
    const verifier = b64url(randomBytes(32));
    const flow = {
        verifier,
        state: b64url(randomBytes(16)),
        nonce: b64url(randomBytes(16)),
    };
    const url = new URL(`${args["realm-url"]}/protocol/openid-connect/auth`);
    url.search = new URLSearchParams({
        client_id: args["client-id"],
        redirect_uri: args["redirect-uri"],
        response_type: "code",
        scope: "openid",
        state: flow.state,
        nonce: flow.nonce,
        code_challenge: b64url(createHash("sha256").update(verifier).digest()),
        code_challenge_method: "S256",
    }).toString();
    flow.url = url.href;
    return flow;
}

/** A page (200) instead of the redirect with a code: report what it says. */
async function pageInstead(result) {
    const html = await result.response.text();
    throw new Failure("no_code", { status: result.response.status, message: alertText(html) });
}

async function finishAuthorization(args, flow, result) {
    if (!result.location || !result.location.startsWith(args["redirect-uri"])) {
        return pageInstead(result);
    }
    const redirect = new URL(result.location);
    const code = redirect.searchParams.get("code");
    if (redirect.searchParams.get("error") || !code) {
        throw new Failure("authorization_error", { message: redirect.searchParams.get("error") });
    }
    if (redirect.searchParams.get("state") !== flow.state) throw new Failure("state_mismatch");

    const tokenResponse = await fetch(`${args["realm-url"]}/protocol/openid-connect/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
            grant_type: "authorization_code",
            code,
            redirect_uri: args["redirect-uri"],
            client_id: args["client-id"],
            code_verifier: flow.verifier,
        }),
    });
    const tokens = await tokenResponse.json();
    if (tokenResponse.status !== 200) {
        throw new Failure("token_error", { status: tokenResponse.status, message: tokens.error });
    }
    const idToken = await verifiedIdToken(args, flow, tokens.id_token);
    const [, accessPayload] = tokens.access_token.split(".");
    return { idToken, accessToken: JSON.parse(Buffer.from(accessPayload, "base64url")) };
}

/** RS256 signature against the realm's JWKS, issuer, audience, nonce and expiry. */
async function verifiedIdToken(args, flow, jwt) {
    const [header64, payload64, signature64] = jwt.split(".");
    const header = JSON.parse(Buffer.from(header64, "base64url"));
    const claims = JSON.parse(Buffer.from(payload64, "base64url"));
    const jwks = await (await fetch(`${args["realm-url"]}/protocol/openid-connect/certs`)).json();
    const jwk = jwks.keys.find((k) => k.kid === header.kid);
    if (header.alg !== "RS256" || !jwk) throw new Failure("id_token_key", { message: header.alg });
    const signed = verify(
        "RSA-SHA256",
        Buffer.from(`${header64}.${payload64}`),
        createPublicKey({ key: jwk, format: "jwk" }),
        Buffer.from(signature64, "base64url"),
    );
    const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!signed) throw new Failure("id_token_signature");
    if (claims.iss !== args["realm-url"]) throw new Failure("id_token_issuer", { message: claims.iss });
    if (!audience.includes(args["client-id"])) throw new Failure("id_token_audience");
    if (claims.nonce !== flow.nonce) throw new Failure("id_token_nonce");
    if (claims.exp * 1000 < Date.now()) throw new Failure("id_token_expired");
    return claims;
}

// ---- the two modes ------------------------------------------------------------------------------

async function login(args, password) {
    const session = new Session(new URL(args["realm-url"]).origin);
    const flow = startAuthorization(args);
    const page = await session.follow(await session.request(flow.url));
    const html = await page.response.text();
    const form = findForm(html, (a) => a["data-keyward-opaque"] === "login");
    if (!form) throw new Failure("no_opaque_login_form", { status: page.response.status, message: alertText(html) });
    const keyStretching = opaqueParameters(form);

    await opaque.ready;
    const { clientLoginState, startLoginRequest } = opaque.client.startLogin({ password });
    const answer = await fetchStep(session, new URL(form.action, session.origin).href, {
        opaque_step: "ke1",
        username: args.username,
        ke1: startLoginRequest,
    });
    if (typeof answer.ke2 !== "string" || typeof answer.action !== "string") {
        // e.g. the legacy-password migration answer (see WIRE.md), which this client does not speak
        throw new Failure("unsupported_answer", { message: Object.keys(answer).join(",") });
    }
    const finished = opaque.client.finishLogin({
        clientLoginState,
        loginResponse: answer.ke2,
        password,
        keyStretching,
    });
    // Wrong password or unknown user: the client knows now, but sends a random KE3 of the right
    // size like the page script does, so the server runs its failure path and answers with its page.
    const ke3 = finished ? finished.finishLoginRequest : b64url(randomBytes(KE3_BYTES));
    // --no-rekey: behave like a client from before key rotation (it ignores the offer)
    const rekeyed = finished && !args["no-rekey"] && rekeyOffered(finished.sessionKey, answer.rekey);
    const result = rekeyed
        ? await rekey(session, answer.action, { password, keyStretching, ke3, sessionKey: finished.sessionKey })
        : await session.follow(
              await session.request(new URL(answer.action, session.origin).href, {
                  method: "POST",
                  form: { opaque_step: "ke3", ke3 },
              }),
          );
    try {
        const done = { clientAccepted: !!finished, ...(await finishAuthorization(args, flow, result)) };
        return rekeyed ? { ...done, rekeyed: true } : done;
    } catch (e) {
        if (e instanceof Failure) e.details.clientAccepted = !!finished;
        throw e;
    }
}

// ---- re-registration under the active setup secret ----------------------------------------------

/** rekey_key = HMAC-SHA-256(session_key, "keyward-rekey"); the offer is HMAC(rekey_key, "offer"). */
const rekeyKey = (sessionKey) =>
    createHmac("sha256", Buffer.from(sessionKey, "base64url")).update("keyward-rekey").digest();

/** True when the KE1 answer's `rekey` (32 bytes, random unless offered) is this login's offer. */
function rekeyOffered(sessionKey, offer) {
    if (typeof offer !== "string") return false;
    const got = Buffer.from(offer, "base64url");
    const expected = createHmac("sha256", rekeyKey(sessionKey)).update("offer").digest();
    return got.length === expected.length && timingSafeEqual(got, expected);
}

/**
 * KE3 by fetch with a registration request; the server answers with its registration response
 * under the active setup secret; the record goes back with HMAC(rekey_key, "record" || record),
 * and the login goes on from that form post as from KE3.
 */
async function rekey(session, action, { password, keyStretching, ke3, sessionKey }) {
    const { clientRegistrationState, registrationRequest } = opaque.client.startRegistration({ password });
    const answer = await fetchStep(session, new URL(action, session.origin).href, {
        opaque_step: "ke3-rekey",
        ke3,
        request: registrationRequest,
    });
    const { registrationRecord } = opaque.client.finishRegistration({
        clientRegistrationState,
        registrationResponse: answer.response,
        password,
        keyStretching,
    });
    const proof = createHmac("sha256", rekeyKey(sessionKey))
        .update("record")
        .update(Buffer.from(registrationRecord, "base64url"))
        .digest();
    return session.follow(
        await session.request(new URL(answer.action, session.origin).href, {
            method: "POST",
            form: { opaque_step: "rekey-record", record: registrationRecord, proof: b64url(proof) },
        }),
    );
}

async function register(args, password, legacyPassword) {
    const session = new Session(new URL(args["realm-url"]).origin);
    const flow = startAuthorization(args);
    // Keycloak's own password form (the realm's flow before the switch to OPAQUE)
    const loginPage = await session.follow(await session.request(flow.url));
    const loginHtml = await loginPage.response.text();
    const loginForm = findForm(loginHtml, (a) => a.id === "kc-form-login");
    if (!loginForm) throw new Failure("no_password_form", { status: loginPage.response.status });
    const page = await session.follow(
        await session.request(new URL(loginForm.action, session.origin).href, {
            method: "POST",
            form: { username: args.username, password: legacyPassword },
        }),
    );
    const html = await page.response.text();
    const form = findForm(html, (a) => a["data-keyward-opaque"] === "register");
    if (!form) throw new Failure("no_opaque_register_form", { status: page.response.status, message: alertText(html) });
    const keyStretching = opaqueParameters(form);

    await opaque.ready;
    const { clientRegistrationState, registrationRequest } = opaque.client.startRegistration({ password });
    const answer = await fetchStep(session, new URL(form.action, session.origin).href, {
        opaque_step: "registration-request",
        request: registrationRequest,
    });
    const { registrationRecord } = opaque.client.finishRegistration({
        clientRegistrationState,
        registrationResponse: answer.response,
        password,
        keyStretching,
    });
    const result = await session.follow(
        await session.request(new URL(answer.action, session.origin).href, {
            method: "POST",
            form: { opaque_step: "registration-record", record: registrationRecord },
        }),
    );
    return finishAuthorization(args, flow, result);
}

// ---- main ---------------------------------------------------------------------------------------

const { values: args, positionals } = parseArgs({
    allowPositionals: true,
    options: {
        "realm-url": { type: "string" },
        "client-id": { type: "string" },
        "redirect-uri": { type: "string" },
        username: { type: "string" },
        "no-rekey": { type: "boolean" },
    },
});
const mode = positionals[0];
const password = process.env.KEYWARD_PASSWORD;
const legacyPassword = process.env.KEYWARD_LEGACY_PASSWORD;
if (
    !["login", "register"].includes(mode) ||
    !args["realm-url"] ||
    !args["client-id"] ||
    !args["redirect-uri"] ||
    !args.username ||
    !password ||
    (mode === "register" && !legacyPassword)
) {
    process.stderr.write(
        "usage: KEYWARD_PASSWORD=.. [KEYWARD_LEGACY_PASSWORD=..] node opaque-login.mjs login|register" +
            " --realm-url URL --client-id ID --redirect-uri URI --username NAME\n",
    );
    process.exit(2);
}
args["realm-url"] = args["realm-url"].replace(/\/+$/, "");

let output;
try {
    const result = mode === "login" ? await login(args, password) : await register(args, password, legacyPassword);
    output = { ok: true, mode, ...result };
} catch (e) {
    if (!(e instanceof Failure)) {
        process.stderr.write(`${e.stack || e}\n`);
    }
    output = { ok: false, mode, error: e instanceof Failure ? e.message : "exception", ...(e.details || {}) };
}
process.stdout.write(`${JSON.stringify(output)}\n`);
