// Unit tests of the page-independent logic (no DOM, no network, no wasm).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
    SUITES,
    DEFAULT_SUITE,
    OpaqueClientError,
    suiteInfo,
    keyStretchingFor,
    base64UrlLength,
    toBase64Url,
    fromBase64Url,
    isBase64Url,
    fakeKe3,
    checkNewPassword,
    checkAction,
    login,
    register,
} from "../src/logic.js";

const code = (c) => (e) => e instanceof OpaqueClientError && e.code === c;

test("suiteInfo: default, both suites, unknown rejected", () => {
    assert.equal(DEFAULT_SUITE, "ristretto255-SHA512");
    assert.equal(suiteInfo(undefined).id, "ristretto255-SHA512");
    assert.equal(suiteInfo("").id, "ristretto255-SHA512");
    assert.equal(suiteInfo("ristretto255-SHA512").module, "ristretto255");
    assert.equal(suiteInfo("P256-SHA256").module, "p256");
    assert.throws(() => suiteInfo("p256-sha256"), code("unsupported-suite"));
    assert.throws(() => suiteInfo("toString"), code("unsupported-suite"));
    assert.throws(() => suiteInfo("__proto__"), code("unsupported-suite"));
});

test("wire sizes match the interop notes (RFC 9807 bytes)", () => {
    assert.deepEqual(
        { ...SUITES["ristretto255-SHA512"] },
        {
            id: "ristretto255-SHA512",
            module: "ristretto255",
            registrationRequest: 32,
            registrationResponse: 64,
            record: 192,
            ke1: 96,
            ke2: 320,
            ke3: 64,
        },
    );
    assert.deepEqual(
        { ...SUITES["P256-SHA256"] },
        {
            id: "P256-SHA256",
            module: "p256",
            registrationRequest: 33,
            registrationResponse: 66,
            record: 129,
            ke1: 98,
            ke2: 259,
            ke3: 32,
        },
    );
});

test('keyStretchingFor: Keyward default maps to serenity "memory-constrained"', () => {
    assert.equal(keyStretchingFor('{"t":3,"m":65536,"p":4}'), "memory-constrained");
    assert.equal(keyStretchingFor({ t: 3, m: 65536, p: 4 }), "memory-constrained");
    assert.equal(keyStretchingFor(' {"p":4, "m":65536, "t":3} '), "memory-constrained");
    assert.equal(keyStretchingFor(undefined), "memory-constrained");
    assert.equal(keyStretchingFor(""), "memory-constrained");
});

test("keyStretchingFor: other parameters map to argon2id-custom with serenity field names", () => {
    assert.deepEqual(keyStretchingFor('{"t":1,"m":2097151,"p":4}'), {
        "argon2id-custom": { iterations: 1, memory: 2097151, parallelism: 4 },
    });
    assert.deepEqual(keyStretchingFor({ t: 2, m: 19456, p: 1 }), {
        "argon2id-custom": { iterations: 2, memory: 19456, parallelism: 1 },
    });
    assert.deepEqual(keyStretchingFor('{"t":3,"m":65536,"p":1}'), {
        "argon2id-custom": { iterations: 3, memory: 65536, parallelism: 1 },
    });
});

test("keyStretchingFor: malformed parameters are rejected", () => {
    for (const bad of [
        "not json",
        "[]",
        "null",
        "3",
        '{"t":3,"m":65536}',
        '{"t":0,"m":65536,"p":4}',
        '{"t":3,"m":65536,"p":0}',
        '{"t":3,"m":-1,"p":4}',
        '{"t":3.5,"m":65536,"p":4}',
        '{"t":"3","m":65536,"p":4}',
        '{"t":3,"m":16,"p":4}',
        '{"t":3,"m":8589934592,"p":4}',
    ]) {
        assert.throws(() => keyStretchingFor(bad), code("bad-ksf"), bad);
    }
});

test("base64url: matches Node's unpadded base64url for every length 0..100", () => {
    for (let n = 0; n <= 100; n++) {
        const bytes = new Uint8Array(n).map((_, i) => (i * 151 + n * 7 + 13) & 0xff);
        const expected = Buffer.from(bytes).toString("base64url");
        assert.equal(toBase64Url(bytes), expected);
        assert.equal(base64UrlLength(n), expected.length);
        assert.deepEqual(fromBase64Url(expected), bytes);
        assert.ok(isBase64Url(expected, n));
    }
});

test("base64url: padded, standard-alphabet, truncated and non-canonical input is rejected", () => {
    const ok = Buffer.alloc(32, 0xfb).toString("base64url"); // contains '-' or '_'
    assert.ok(isBase64Url(ok, 32));
    assert.ok(!isBase64Url(ok, 33));
    assert.ok(!isBase64Url(ok + "=", 32));
    assert.ok(!isBase64Url(Buffer.alloc(32, 0xfb).toString("base64")));
    assert.ok(!isBase64Url(ok.replace(/-/g, "+").replace(/_/g, "/")));
    assert.ok(!isBase64Url("A")); // length 1 mod 4
    assert.ok(!isBase64Url("AB")); // 'B' leaves non-zero trailing bits
    assert.ok(isBase64Url("AA"));
    assert.ok(!isBase64Url("AA AA"));
    assert.ok(!isBase64Url(undefined));
    assert.ok(!isBase64Url(null, 0));
    assert.ok(!isBase64Url(42));
    assert.throws(() => fromBase64Url("AB=="), code("bad-base64url"));
});

test("fakeKe3: random bytes of the suite's KE3 size, base64url without padding", () => {
    const r = fakeKe3("ristretto255-SHA512");
    const p = fakeKe3("P256-SHA256");
    assert.equal(r.length, 86);
    assert.equal(p.length, 43);
    assert.equal(fromBase64Url(r).length, 64);
    assert.equal(fromBase64Url(p).length, 32);
    assert.ok(isBase64Url(fakeKe3(undefined), 64));
    assert.notEqual(fakeKe3("ristretto255-SHA512"), r);
    const asked = [];
    const fixed = fakeKe3("P256-SHA256", (n) => {
        asked.push(n);
        return new Uint8Array(n).fill(0xff);
    });
    assert.deepEqual(asked, [32]);
    assert.equal(fixed, Buffer.alloc(32, 0xff).toString("base64url"));
    assert.throws(() => fakeKe3("X25519"), code("unsupported-suite"));
});

test("checkNewPassword: Keycloak-policy checks", () => {
    const base = { confirm: undefined, minLength: "8", username: "alice", email: "Alice@Example.org" };
    const check = (password, extra = {}) => checkNewPassword({ ...base, password, confirm: password, ...extra });
    assert.deepEqual(check("correct horse"), []);
    assert.deepEqual(check(""), ["empty"]);
    assert.deepEqual(checkNewPassword({ password: undefined }), ["empty"]);
    assert.deepEqual(check("correct horse", { confirm: "correct horsE" }), ["mismatch"]);
    assert.deepEqual(check("short"), ["tooShort"]);
    assert.deepEqual(check("12345678"), []);
    assert.deepEqual(check("1234567"), ["tooShort"]);
    // UTF-16 code units, like Java's String.length(): 4 emoji = 8 units.
    assert.deepEqual(check("\u{1F511}\u{1F511}\u{1F511}\u{1F511}"), []);
    assert.deepEqual(check("short", { confirm: "other" }), ["mismatch", "tooShort"]);
    assert.deepEqual(check("abcdefghijk", { maxLength: 10 }), ["tooLong"]);
    assert.deepEqual(check("abcdefghij", { maxLength: "10" }), []);
    // notUsername: exact (Keycloak's NotUsernamePasswordPolicyProvider uses equals).
    assert.deepEqual(check("alice", { minLength: undefined }), ["equalsUsername"]);
    assert.deepEqual(check("Alice", { minLength: undefined }), []);
    // notEmail: case-insensitive (NotEmailPasswordPolicyProvider uses equalsIgnoreCase).
    assert.deepEqual(check("alice@example.org"), ["equalsEmail"]);
    assert.deepEqual(check("ALICE@EXAMPLE.ORG"), ["equalsEmail"]);
    assert.deepEqual(check("alice@example.com"), []);
    // flags from the realm policy (data-not-username / data-not-contains-username / data-not-email)
    assert.deepEqual(check("alice", { minLength: "0", notUsername: "false" }), []);
    assert.deepEqual(check("alice@example.org", { notEmail: "false" }), []);
    assert.deepEqual(check("alice", { minLength: "0", notUsername: "false", notContainsUsername: "true" }), [
        "containsUsername",
    ]);
    assert.deepEqual(check("alice", { minLength: "0", notUsername: "true", notContainsUsername: "true" }), [
        "equalsUsername",
    ]);
    assert.deepEqual(check("my-alice-pw", { notContainsUsername: "true" }), ["containsUsername"]);
    assert.deepEqual(check("my-alice-pw", { notContainsUsername: "false" }), []);
    assert.deepEqual(check("my-alice-pw"), []);
    // Keycloak's NotContainsUsernamePasswordPolicyProvider tests username.contains(password)
    assert.deepEqual(check("lic", { minLength: "0", notContainsUsername: "true" }), ["containsUsername"]);
    assert.deepEqual(check("MY-ALICE-PW", { notContainsUsername: "true" }), []);
    // "0" is what the server sends when the realm has no length policy
    assert.deepEqual(check("a", { minLength: "0", maxLength: "0" }), []);
    // absent or unusable attributes disable a check
    assert.deepEqual(checkNewPassword({ password: "a", confirm: "a" }), []);
    assert.deepEqual(checkNewPassword({ password: "a", confirm: "a", minLength: "abc", username: "", email: "" }), []);
});

test("checkAction: only same-origin http(s) URLs under the realm's login-actions path are accepted", () => {
    const page = "https://kc.example.org/realms/demo/login-actions/authenticate?execution=1";
    assert.equal(
        checkAction("https://kc.example.org/realms/demo/login-actions/authenticate?session_code=x&execution=1", page),
        "https://kc.example.org/realms/demo/login-actions/authenticate?session_code=x&execution=1",
    );
    assert.equal(
        checkAction("/realms/demo/login-actions/required-action?session_code=y", page),
        "https://kc.example.org/realms/demo/login-actions/required-action?session_code=y",
    );
    for (const bad of [
        "https://evil.example/",
        "//evil.example/x",
        "javascript:alert(1)",
        "http://kc.example.org/realms/demo/login-actions/authenticate",
        "/realms/demo/x?y=1", // same realm, not a login action
        "/realms/demo/protocol/openid-connect/token",
        "/realms/other/login-actions/authenticate?session_code=x", // another realm
        "/realms/demo2/login-actions/authenticate",
        "/realms/demo/login-actions/../../other/login-actions/authenticate",
        "/realms/demo/login-actions/..%2f..%2fother%2Flogin-actions/authenticate",
        "/realms/demo/login-actions%5C..",
        "/realms/demo/login-actions/..;/..;/other/login-actions/authenticate", // path parameters
        "/realms/demo/login-actions/..%252f..%252fother/login-actions/authenticate", // double encoding
        "/realms/demo/login-actions", // the prefix ends with the slash
        "",
        undefined,
        7,
    ]) {
        assert.throws(() => checkAction(bad, page), code("bad-response"), String(bad));
    }
});

test("checkAction: the prefix comes from the form's action, not from the page's URL", () => {
    // the first page of a login is Keycloak's auth endpoint; its form posts to login-actions
    const page = "https://kc.example.org/auth/realms/demo/protocol/openid-connect/auth?client_id=c";
    const form = "https://kc.example.org/auth/realms/demo/login-actions/authenticate?session_code=a";
    assert.equal(
        checkAction("/auth/realms/demo/login-actions/authenticate?session_code=b", page, form),
        "https://kc.example.org/auth/realms/demo/login-actions/authenticate?session_code=b",
    );
    for (const bad of [
        "/realms/demo/login-actions/authenticate", // outside the proxy's path prefix
        "/auth/realms/demo/protocol/openid-connect/auth",
        "/auth/realms/master/login-actions/authenticate",
    ]) {
        assert.throws(() => checkAction(bad, page, form), code("bad-response"), bad);
    }
    // without a login-actions form action nothing is accepted
    assert.throws(() => checkAction("/auth/realms/demo/login-actions/authenticate", page), code("bad-response"));
    assert.throws(
        () => checkAction(form, page, "https://other.example/auth/realms/demo/login-actions/authenticate"),
        code("bad-response"),
        "a form action of another origin",
    );
    // a realm named "login-actions": the prefix ends at the last "/login-actions/"
    const odd = "https://kc.example.org/realms/login-actions/login-actions/authenticate";
    assert.equal(checkAction(odd + "?s=1", odd), odd + "?s=1");
    assert.throws(() => checkAction("/realms/login-actions/account", odd), code("bad-response"));
});

// A scripted stand-in for the serenity module: lets the tests see exactly what login() sends.
function fakeOpaque({ finish }) {
    return {
        ready: Promise.resolve(),
        client: {
            startLogin: ({ password }) => ({
                clientLoginState: "state:" + password,
                startLoginRequest: Buffer.alloc(96, 1).toString("base64url"),
            }),
            finishLogin: finish,
            startRegistration: () => ({
                clientRegistrationState: "s",
                registrationRequest: Buffer.alloc(32, 2).toString("base64url"),
            }),
            finishRegistration: () => ({ registrationRecord: Buffer.alloc(192, 3).toString("base64url") }),
        },
    };
}
const KE2 = Buffer.alloc(320, 9).toString("base64url");

test("login: posts exactly opaque_step, username and KE1 (never the password)", async () => {
    const posted = [];
    let finishParams;
    const result = await login({
        opaque: fakeOpaque({
            finish: (p) => {
                finishParams = p;
                return { finishLoginRequest: Buffer.alloc(64, 5).toString("base64url") };
            },
        }),
        password: "hunter2-secret",
        username: "alice",
        ksf: '{"t":2,"m":1024,"p":1}',
        post: async (fields) => {
            posted.push(fields);
            return { ke2: KE2, action: "/next" };
        },
    });
    assert.deepEqual(posted, [
        { opaque_step: "ke1", username: "alice", ke1: Buffer.alloc(96, 1).toString("base64url") },
    ]);
    assert.ok(!JSON.stringify(posted).includes("hunter2"));
    assert.deepEqual(finishParams, {
        clientLoginState: "state:hunter2-secret",
        loginResponse: KE2,
        password: "hunter2-secret",
        keyStretching: { "argon2id-custom": { iterations: 2, memory: 1024, parallelism: 1 } },
    });
    assert.deepEqual(result, {
        step: "ke3",
        ke3: Buffer.alloc(64, 5).toString("base64url"),
        action: "/next",
        ok: true,
    });
});

test("login: undefined or throwing finishLogin yields a fake KE3 of the suite size", async () => {
    for (const finish of [
        () => undefined,
        () => {
            throw new Error("opaque protocol error");
        },
    ]) {
        const result = await login({
            opaque: fakeOpaque({ finish }),
            password: "x",
            username: "nobody",
            post: async () => ({ ke2: KE2, action: "/next" }),
        });
        assert.equal(result.ok, false);
        assert.equal(result.action, "/next");
        assert.ok(isBase64Url(result.ke3, 64));
    }
});

test("login: malformed server answers are page errors, not logins", async () => {
    const opaque = fakeOpaque({ finish: () => assert.fail("must not finish") });
    for (const answer of [
        null,
        "text",
        {},
        { ke2: KE2 },
        { ke2: KE2 + "=", action: "/a" },
        { ke2: KE2.slice(1), action: "/a" },
        { ke2: KE2, action: "" },
    ]) {
        await assert.rejects(
            login({ opaque, password: "x", username: "u", post: async () => answer }),
            code("bad-response"),
            JSON.stringify(answer),
        );
    }
    // P-256 page with a ristretto-sized KE2
    await assert.rejects(
        login({
            opaque,
            password: "x",
            username: "u",
            suite: "P256-SHA256",
            post: async () => ({ ke2: KE2, action: "/a" }),
        }),
        code("bad-response"),
    );
    // transport failure propagates unchanged
    const boom = new OpaqueClientError("http-status");
    await assert.rejects(
        login({
            opaque,
            password: "x",
            username: "u",
            post: async () => {
                throw boom;
            },
        }),
        (e) => e === boom,
    );
});

const PAGE = "https://kc.example.org/realms/demo/login-actions/authenticate?execution=1";
const LEGACY_ACTION = "https://kc.example.org/realms/demo/login-actions/authenticate?session_code=2";
const REG_RESPONSE = Buffer.alloc(64, 7).toString("base64url");

test("login, legacy answer: the password goes once, to the legacy action, with the registration request", async () => {
    const posted = [];
    let finishParams;
    const opaque = fakeOpaque({ finish: () => assert.fail("no OPAQUE login for a legacy user") });
    opaque.client.finishRegistration = (p) => {
        finishParams = p;
        return { registrationRecord: Buffer.alloc(192, 3).toString("base64url") };
    };
    const result = await login({
        opaque,
        password: "hunter2-secret",
        username: "alice",
        ksf: '{"t":2,"m":1024,"p":1}',
        pageUrl: PAGE,
        post: async (fields, url) => {
            posted.push({ fields, url });
            return fields.opaque_step === "ke1"
                ? { legacy: true, action: LEGACY_ACTION }
                : { response: REG_RESPONSE, action: "/record" };
        },
    });
    assert.deepEqual(posted, [
        {
            fields: { opaque_step: "ke1", username: "alice", ke1: Buffer.alloc(96, 1).toString("base64url") },
            url: undefined,
        },
        {
            fields: {
                opaque_step: "legacy",
                password: "hunter2-secret",
                request: Buffer.alloc(32, 2).toString("base64url"),
            },
            url: LEGACY_ACTION,
        },
    ]);
    assert.deepEqual(finishParams, {
        clientRegistrationState: "s",
        registrationResponse: REG_RESPONSE,
        password: "hunter2-secret",
        keyStretching: { "argon2id-custom": { iterations: 2, memory: 1024, parallelism: 1 } },
    });
    assert.deepEqual(result, {
        step: "legacy-record",
        record: Buffer.alloc(192, 3).toString("base64url"),
        action: "/record",
        ok: true,
    });
});

test("login, legacy answer: on the auth endpoint's page, the form's action names the login-actions path", async () => {
    const opaque = fakeOpaque({ finish: () => assert.fail("no OPAQUE login") });
    opaque.client.finishRegistration = () => ({ registrationRecord: Buffer.alloc(192, 3).toString("base64url") });
    const urls = [];
    const result = await login({
        opaque,
        password: "hunter2-secret",
        username: "alice",
        pageUrl: "https://kc.example.org/realms/demo/protocol/openid-connect/auth?client_id=c",
        formAction: "https://kc.example.org/realms/demo/login-actions/authenticate?session_code=1",
        post: async (fields, url) => {
            urls.push(url);
            return fields.opaque_step === "ke1"
                ? { legacy: true, action: LEGACY_ACTION }
                : { response: REG_RESPONSE, action: "/record" };
        },
    });
    assert.equal(result.step, "legacy-record");
    assert.deepEqual(urls, [undefined, LEGACY_ACTION]);
});

test("login, legacy answer: invalid_grant becomes the server message and the fresh action", async () => {
    const opaque = fakeOpaque({ finish: () => assert.fail("no OPAQUE login") });
    opaque.client.finishRegistration = () => assert.fail("no registration after a wrong password");
    const answers = [
        { legacy: true, action: LEGACY_ACTION },
        { error: "invalid_grant", message: "Invalid username or password.", action: "/again" },
    ];
    const result = await login({
        opaque,
        password: "x",
        username: "u",
        pageUrl: PAGE,
        post: async () => answers.shift(),
    });
    assert.deepEqual(result, {
        step: "legacy-failed",
        message: "Invalid username or password.",
        action: "/again",
        ok: false,
    });
});

test("login, legacy answer: never sent to another origin, realm or endpoint, or without a page URL; malformed answers rejected", async () => {
    const opaque = fakeOpaque({ finish: () => assert.fail("no OPAQUE login") });
    const AUTH_PAGE = "https://kc.example.org/realms/demo/protocol/openid-connect/auth?client_id=c";
    for (const [action, pageUrl, formAction] of [
        ["https://evil.example/steal", PAGE],
        ["javascript:alert(1)", PAGE],
        ["", PAGE],
        [LEGACY_ACTION, undefined],
        ["https://kc.example.org/realms/other/login-actions/authenticate?session_code=2", PAGE],
        ["https://kc.example.org/realms/demo/account", PAGE],
        // the first page of a login is the auth endpoint: without the form's action nothing goes
        [LEGACY_ACTION, AUTH_PAGE],
        [LEGACY_ACTION, AUTH_PAGE, "https://kc.example.org/realms/other/login-actions/authenticate"],
    ]) {
        const posted = [];
        await assert.rejects(
            login({
                opaque,
                password: "hunter2-secret",
                username: "u",
                pageUrl,
                formAction,
                post: async (fields) => {
                    posted.push(fields);
                    return { legacy: true, action };
                },
            }),
            code("bad-response"),
            action,
        );
        assert.equal(posted.length, 1, "only KE1 was sent");
        assert.ok(!JSON.stringify(posted).includes("hunter2"));
    }
    for (const second of [
        null,
        {},
        { response: REG_RESPONSE },
        { response: REG_RESPONSE.slice(1), action: "/r" },
        { error: "invalid_grant" },
    ]) {
        const answers = [{ legacy: true, action: LEGACY_ACTION }, second];
        await assert.rejects(
            login({ opaque, password: "x", username: "u", pageUrl: PAGE, post: async () => answers.shift() }),
            code("bad-response"),
            JSON.stringify(second),
        );
    }
});

test("register: posts exactly opaque_step and the request; bad response rejected", async () => {
    const posted = [];
    const ok = await register({
        opaque: fakeOpaque({}),
        password: "hunter2-secret",
        post: async (fields) => {
            posted.push(fields);
            return { response: Buffer.alloc(64, 4).toString("base64url"), action: "/next" };
        },
    });
    assert.deepEqual(posted, [
        { opaque_step: "registration-request", request: Buffer.alloc(32, 2).toString("base64url") },
    ]);
    assert.deepEqual(ok, { record: Buffer.alloc(192, 3).toString("base64url"), action: "/next" });
    await assert.rejects(
        register({ opaque: fakeOpaque({}), password: "p", post: async () => ({ response: "AAAA", action: "/n" }) }),
        code("bad-response"),
    );
});
