// Re-registration under the server's active setup secret, inside a login that just succeeded
// (opaque-authenticator/WIRE.md, "Re-registration under the active setup secret").
//
// Every KE1 answer carries `rekey`: 32 bytes that equal HMAC(rekey_key, "offer") when the user's
// record is under an older secret, else random. rekey_key = HMAC-SHA-256(session_key,
// "keyward-rekey"), from the OPAQUE session key only this client and the server know. When it
// matches, the client sends KE3 by fetch with a registration request, finishes the registration
// from the same password, and posts the record with HMAC(rekey_key, "record" || record) as proof.
// No DOM, no network of its own: the page and the tests pass `post` in. Never logs.

import { OpaqueClientError, fromBase64Url, isBase64Url, toBase64Url } from "./logic.js";

const OFFER_BYTES = 32;
const encoder = new TextEncoder();

function subtle() {
    const c = globalThis.crypto;
    // WebCrypto exists only in secure contexts (HTTPS, localhost): elsewhere the login goes on without rekey
    return c && c.subtle && typeof c.subtle.importKey === "function" ? c.subtle : null;
}

async function hmac(key, ...parts) {
    const s = subtle();
    const k = await s.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const length = parts.reduce((n, p) => n + p.length, 0);
    const data = new Uint8Array(length);
    let at = 0;
    for (const p of parts) {
        data.set(p, at);
        at += p.length;
    }
    return new Uint8Array(await s.sign("HMAC", k, data));
}

/** rekey_key for a login's session key (base64url, as serenity returns it). */
export async function rekeyKey(sessionKey) {
    return hmac(fromBase64Url(sessionKey), encoder.encode("keyward-rekey"));
}

/** True when the KE1 answer's `rekey` is the offer for this login (constant-time enough: it is the client's own secret). */
export async function offered(sessionKey, offer) {
    if (!subtle() || typeof sessionKey !== "string" || !isBase64Url(offer, OFFER_BYTES)) return false;
    const expected = await hmac(await rekeyKey(sessionKey), encoder.encode("offer"));
    const got = fromBase64Url(offer);
    let diff = 0;
    for (let i = 0; i < OFFER_BYTES; i++) diff |= expected[i] ^ got[i];
    return diff === 0;
}

/** The proof for a record (base64url) under rekey_key. */
export async function proof(key, record) {
    return toBase64Url(await hmac(key, encoder.encode("record"), fromBase64Url(record)));
}

/**
 * The rekey exchange after a finished login: KE3 with a registration request to `action`, then
 * the registration finished from the same password.
 *
 * @returns {Promise<object>} one of
 *   `{step: 'rekey-record', record, proof, action, ok: true}` (post them to action),
 *   `{step: 'rekey-skip', action, ok: true}` (the registration could not be finished: post
 *   `opaque_step=rekey-skip` to action; the login completes on the old record),
 *   `{step: 'login-failed', message, action, ok: false}` (KE3 refused: show message; retry at action)
 */
export async function rekeyLogin({ opaque, password, info, keyStretching, post, target, ke3, sessionKey }) {
    const { clientRegistrationState, registrationRequest } = opaque.client.startRegistration({ password });
    const answer = await post({ opaque_step: "ke3-rekey", ke3, request: registrationRequest }, target);
    if (answer === null || typeof answer !== "object") {
        throw new OpaqueClientError("bad-response", "Unexpected server answer");
    }
    if (typeof answer.action !== "string" || answer.action === "") {
        throw new OpaqueClientError("bad-response", "Missing action URL");
    }
    if (answer.error === "invalid_grant") {
        const message = typeof answer.message === "string" ? answer.message : "";
        return { step: "login-failed", message, action: answer.action, ok: false };
    }
    let record;
    try {
        if (!isBase64Url(answer.response, info.registrationResponse)) throw new Error("response");
        const result = opaque.client.finishRegistration({
            clientRegistrationState,
            registrationResponse: answer.response,
            password,
            keyStretching,
        });
        record = result && result.registrationRecord;
        if (!isBase64Url(record, info.record)) throw new Error("record");
    } catch {
        return { step: "rekey-skip", action: answer.action, ok: true };
    }
    return {
        step: "rekey-record",
        record,
        proof: await proof(await rekeyKey(sessionKey), record),
        action: answer.action,
        ok: true,
    };
}
