// Re-registration under the active setup secret (src/rekey.js): the MACs against values computed
// apart (the same vectors as RekeyProofTest in Java), and the whole exchange through the page
// logic against @serenity-kit/opaque's server with two setups, the old and the active one.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import * as server from "@serenity-kit/opaque";
import * as client from "@serenity-kit/opaque";
import { login, register, SUITES } from "../src/logic.js";
import { offered, proof, rekeyKey } from "../src/rekey.js";

const ORIGIN = "https://kc.example.test";
// Keycloak's first login page is its auth endpoint; the form posts under the realm's login-actions
const PAGE = `${ORIGIN}/realms/demo/protocol/openid-connect/auth?client_id=app`;
const ACTIONS = "/realms/demo/login-actions/authenticate";
const FORM_ACTION = `${ORIGIN}${ACTIONS}?step=0`;
const KSF = '{"t":1,"m":1024,"p":1}';
const b64 = (bytes) => Buffer.from(bytes).toString("base64url");
const hmac = (key, ...parts) => {
    const h = createHmac("sha256", key);
    for (const p of parts) h.update(p);
    return h.digest();
};

test("the offer and the proof match the server's definition (RekeyProofTest's vectors)", async () => {
    const sessionKey = b64(Uint8Array.from({ length: 64 }, (_, i) => (i * 7 + 1) & 0xff));
    const record = b64(new Uint8Array(192).fill(0x42));
    assert.equal(await offered(sessionKey, "qYdOrV01_lpBIn5r0ysuh5DSYBCZRm4GKhebdO3dgus"), true);
    assert.equal(await offered(sessionKey, "qYdOrV01_lpBIn5r0ysuh5DSYBCZRm4GKhebdO3dgut"), false);
    assert.equal(await offered(sessionKey, b64(new Uint8Array(32))), false, "random bytes are no offer");
    assert.equal(await offered(sessionKey, undefined), false, "an older server sends none");
    assert.equal(await proof(await rekeyKey(sessionKey), record), "X6YURAFrCYZtwXHGsEfBsQzr43DFdZATzSZBK7fDTlw");
});

test("a login under an older secret re-registers under the active one, with its proof", async () => {
    await server.ready;
    const info = SUITES["ristretto255-SHA512"];
    const oldSetup = server.server.createSetup();
    const activeSetup = server.server.createSetup();
    const password = "correct horse \u{1F511}";
    const userIdentifier = "id:alice";

    // registered under the old setup
    const reg = await register({
        opaque: client,
        password,
        suite: info.id,
        ksf: KSF,
        post: async (fields) => ({
            response: server.server.createRegistrationResponse({
                serverSetup: oldSetup,
                userIdentifier,
                registrationRequest: fields.request,
            }).registrationResponse,
            action: "/register?step=1",
        }),
    });
    let record = reg.record;
    let recordSetup = oldSetup;

    // the client's session key is seen here only to play the server's offer (serenity's server
    // has no session key before KE3); the offer is computed with node:crypto, not with rekey.js
    let sessionKey;
    const spied = {
        ready: client.ready,
        client: {
            ...client.client,
            finishLogin: (a) => {
                const r = client.client.finishLogin(a);
                sessionKey = r && r.sessionKey;
                return r;
            },
        },
    };
    const posted = [];
    let pending;
    const post = async (fields, url) => {
        posted.push({ fields, url });
        if (fields.opaque_step === "ke1") {
            const start = server.server.startLogin({
                serverSetup: recordSetup,
                registrationRecord: record,
                startLoginRequest: fields.ke1,
                userIdentifier,
            });
            pending = start.serverLoginState;
            const under = recordSetup;
            return {
                ke2: start.loginResponse,
                action: `${ORIGIN}${ACTIONS}?step=1`,
                get rekey() {
                    return under === oldSetup
                        ? b64(hmac(hmac(Buffer.from(sessionKey, "base64url"), "keyward-rekey"), "offer"))
                        : b64(new Uint8Array(32).fill(7));
                },
            };
        }
        assert.equal(fields.opaque_step, "ke3-rekey");
        assert.equal(url, `${ORIGIN}${ACTIONS}?step=1`, "KE3 goes to the fresh action");
        assert.deepEqual(Object.keys(fields).sort(), ["ke3", "opaque_step", "request"]);
        const { sessionKey: serverKey } = server.server.finishLogin({
            serverLoginState: pending,
            finishLoginRequest: fields.ke3,
        });
        pending = { serverKey };
        return {
            response: server.server.createRegistrationResponse({
                serverSetup: activeSetup,
                userIdentifier,
                registrationRequest: fields.request,
            }).registrationResponse,
            action: `${ACTIONS}?step=2`,
        };
    };

    const first = await login({
        opaque: spied,
        password,
        username: "alice",
        suite: info.id,
        ksf: KSF,
        post,
        pageUrl: PAGE,
        formAction: FORM_ACTION,
    });
    assert.equal(first.step, "rekey-record");
    assert.equal(first.action, `${ACTIONS}?step=2`);
    const expected = hmac(
        hmac(Buffer.from(pending.serverKey, "base64url"), "keyward-rekey"),
        "record",
        Buffer.from(first.record, "base64url"),
    );
    assert.equal(first.proof, b64(expected), "the proof the server checks");
    assert.ok(!JSON.stringify(posted).includes("correct horse"), "the password is never posted");

    // the server stores it under the active setup: the next login works there and offers nothing
    record = first.record;
    recordSetup = activeSetup;
    const second = await login({
        opaque: spied,
        password,
        username: "alice",
        suite: info.id,
        ksf: KSF,
        post,
        pageUrl: PAGE,
        formAction: FORM_ACTION,
    });
    assert.equal(second.step, "ke3");
    assert.equal(second.ok, true);
    server.server.finishLogin({ serverLoginState: pending, finishLoginRequest: second.ke3 });
});

test("a refused KE3 on the rekey step is the usual login failure; an unusable response is a skip", async () => {
    await server.ready;
    const info = SUITES["ristretto255-SHA512"];
    const setup = server.server.createSetup();
    const password = "pw";
    const reg = await register({
        opaque: client,
        password,
        suite: info.id,
        ksf: KSF,
        post: async (fields) => ({
            response: server.server.createRegistrationResponse({
                serverSetup: setup,
                userIdentifier: "u",
                registrationRequest: fields.request,
            }).registrationResponse,
            action: "/r",
        }),
    });
    let sessionKey;
    const spied = {
        ready: client.ready,
        client: {
            ...client.client,
            finishLogin: (a) => {
                const r = client.client.finishLogin(a);
                sessionKey = r && r.sessionKey;
                return r;
            },
        },
    };
    const run = (ke3Answer) =>
        login({
            opaque: spied,
            password,
            username: "u",
            suite: info.id,
            ksf: KSF,
            pageUrl: PAGE,
            formAction: FORM_ACTION,
            post: async (fields) => {
                if (fields.opaque_step === "ke1") {
                    const start = server.server.startLogin({
                        serverSetup: setup,
                        registrationRecord: reg.record,
                        startLoginRequest: fields.ke1,
                        userIdentifier: "u",
                    });
                    return {
                        ke2: start.loginResponse,
                        action: `${ACTIONS}?step=1`,
                        get rekey() {
                            return b64(hmac(hmac(Buffer.from(sessionKey, "base64url"), "keyward-rekey"), "offer"));
                        },
                    };
                }
                return ke3Answer;
            },
        });
    const failed = await run({ error: "invalid_grant", message: "Account is disabled", action: `${ACTIONS}?step=2` });
    assert.deepEqual(failed, {
        step: "login-failed",
        message: "Account is disabled",
        action: `${ACTIONS}?step=2`,
        ok: false,
    });
    const skipped = await run({ response: "not-a-response", action: `${ACTIONS}?step=3` });
    assert.deepEqual(skipped, { step: "rekey-skip", action: `${ACTIONS}?step=3`, ok: true });
});
