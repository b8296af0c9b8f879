// End-to-end protocol test: the page logic (src/logic.js) runs the real OPAQUE client against
// @serenity-kit/opaque's own server functions, through an injected `post` that plays the
// authenticator's wire protocol. With KEYWARD_BUNDLE_DIR and KEYWARD_BUNDLE_MANIFEST set (the Maven
// build sets them), the client is the built, minified suite bundle the page loads (its content-hashed
// name from build.mjs's manifest); otherwise the source module.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import * as serverRistretto from "@serenity-kit/opaque";
import * as serverP256 from "@serenity-kit/opaque-p256";
import { login, register, isBase64Url, SUITES } from "../src/logic.js";

const bundleDir = process.env.KEYWARD_BUNDLE_DIR ? resolve(process.env.KEYWARD_BUNDLE_DIR) : undefined;
// page / ristretto255 / p256 -> file name, as build.mjs wrote them
const bundles = bundleDir
    ? Object.fromEntries(
          readFileSync(
              process.env.KEYWARD_BUNDLE_MANIFEST || join(bundleDir, "keyward-opaque-assets.properties"),
              "utf8",
          )
              .split("\n")
              .filter((line) => line.includes("=") && !line.startsWith("#"))
              .map((line) => line.trim().split("=", 2)),
      )
    : {};

async function clientModule(name) {
    const url = bundleDir
        ? pathToFileURL(join(bundleDir, bundles[name])).href
        : new URL(`../src/suite-${name}.js`, import.meta.url).href;
    return import(url);
}

const CASES = [
    { suite: "ristretto255-SHA512", client: "ristretto255", serverLib: serverRistretto },
    { suite: "P256-SHA256", client: "p256", serverLib: serverP256 },
];

const FAST_KSF = '{"t":1,"m":1024,"p":1}';
const ORIGIN = "https://kc.example.test";
// Keycloak's first login page is its auth endpoint; the form posts under the realm's login-actions
const PAGE = `${ORIGIN}/realms/demo/protocol/openid-connect/auth?client_id=app`;
const ACTIONS = "/realms/demo/login-actions/authenticate";
const FORM_ACTION = `${ORIGIN}${ACTIONS}?step=0`;
const DEFAULT_KSF = '{"t":3,"m":65536,"p":4}';

/** A stand-in for the Keycloak authenticator: the wire protocol of login-opaque / register-opaque. */
class FakeAuthenticator {
    constructor(serverLib, suite) {
        this.lib = serverLib;
        this.info = SUITES[suite];
        this.setup = serverLib.server.createSetup();
        this.records = new Map(); // username -> record
        this.pending = null; // server login state between KE2 and KE3 (single use)
        this.posted = [];
        this.step = 0;
    }

    userIdentifier(username) {
        return "id:" + username;
    }

    /** post() for the registration page of `username`. */
    registrationPost(username) {
        return async (fields) => {
            this.posted.push(fields);
            assert.deepEqual(Object.keys(fields).sort(), ["opaque_step", "request"]);
            assert.equal(fields.opaque_step, "registration-request");
            assert.ok(isBase64Url(fields.request, this.info.registrationRequest), "registration request size");
            const { registrationResponse } = this.lib.server.createRegistrationResponse({
                serverSetup: this.setup,
                userIdentifier: this.userIdentifier(username),
                registrationRequest: fields.request,
            });
            return { response: registrationResponse, action: `/register?step=${++this.step}` };
        };
    }

    /** The native form POST of the registration page. */
    storeRecord(username, form) {
        assert.equal(form.opaque_step, "registration-record");
        assert.ok(isBase64Url(form.record, this.info.record), "record size");
        this.records.set(username, form.record);
    }

    /**
     * post() for the login page with legacy migration: names in `legacyPasswords` have only a
     * Keycloak password and get {"legacy": true}; the legacy step checks it and answers with a
     * registration response, or 400 invalid_grant.
     */
    migrationPost(legacyPasswords) {
        const inner = this.loginPost();
        let legacyUser = null;
        return async (fields, url) => {
            if (
                fields.opaque_step === "ke1" &&
                legacyPasswords.has(fields.username) &&
                !this.records.has(fields.username)
            ) {
                this.posted.push(fields);
                legacyUser = fields.username;
                return { legacy: true, action: `${ORIGIN}${ACTIONS}?step=${++this.step}` };
            }
            if (fields.opaque_step === "legacy") {
                this.posted.push(fields);
                assert.equal(url, `${ORIGIN}${ACTIONS}?step=${this.step}`, "legacy step goes to the fresh action");
                assert.deepEqual(Object.keys(fields).sort(), ["opaque_step", "password", "request"]);
                assert.ok(isBase64Url(fields.request, this.info.registrationRequest), "registration request size");
                const user = legacyUser;
                legacyUser = null;
                if (legacyPasswords.get(user) !== fields.password) {
                    return {
                        error: "invalid_grant",
                        message: "Invalid username or password.",
                        action: `${ACTIONS}?step=${++this.step}`,
                    };
                }
                this.verified = user;
                const { registrationResponse } = this.lib.server.createRegistrationResponse({
                    serverSetup: this.setup,
                    userIdentifier: this.userIdentifier(user),
                    registrationRequest: fields.request,
                });
                return { response: registrationResponse, action: `${ACTIONS}?step=${++this.step}` };
            }
            return inner(fields);
        };
    }

    /** The native form POST of the legacy record: stored only for the user the legacy step verified. */
    storeLegacyRecord(form) {
        assert.equal(form.opaque_step, "legacy-record");
        assert.ok(isBase64Url(form.record, this.info.record), "record size");
        assert.ok(this.verified, "a legacy check passed");
        this.records.set(this.verified, form.record);
        this.verified = null;
    }

    /** post() for the login page (the fetch with KE1). */
    loginPost() {
        return async (fields) => {
            this.posted.push(fields);
            assert.deepEqual(Object.keys(fields).sort(), ["ke1", "opaque_step", "username"]);
            assert.equal(fields.opaque_step, "ke1");
            assert.ok(isBase64Url(fields.ke1, this.info.ke1), "KE1 size");
            const { serverLoginState, loginResponse } = this.lib.server.startLogin({
                serverSetup: this.setup,
                registrationRecord: this.records.get(fields.username) ?? null, // unknown user: fake KE2
                startLoginRequest: fields.ke1,
                userIdentifier: this.userIdentifier(fields.username),
            });
            this.pending = serverLoginState;
            return { ke2: loginResponse, action: `${ACTIONS}?step=${++this.step}` };
        };
    }

    /** The native form POST with KE3: true when the client proved the password. */
    verifyKe3(form) {
        assert.equal(form.opaque_step, "ke3");
        assert.ok(isBase64Url(form.ke3, this.info.ke3), "KE3 size");
        const state = this.pending;
        this.pending = null;
        try {
            this.lib.server.finishLogin({ serverLoginState: state, finishLoginRequest: form.ke3 });
            return true;
        } catch {
            return false;
        }
    }
}

for (const { suite, client, serverLib } of CASES) {
    test(`${suite}: registration then login through the page logic`, async (t) => {
        const opaque = await clientModule(client);
        await serverLib.ready;
        const kc = new FakeAuthenticator(serverLib, suite);
        const password = "correct horse battery staple \u00e9\u{1F511}";

        await t.test("registration completes and yields a record of the suite size", async () => {
            const reg = await register({
                opaque,
                password,
                suite,
                ksf: DEFAULT_KSF,
                post: kc.registrationPost("alice"),
            });
            assert.match(reg.action, /^\/register\?step=\d+$/);
            kc.storeRecord("alice", { opaque_step: "registration-record", record: reg.record });
        });

        await t.test("right password: the server accepts KE3", async () => {
            const res = await login({
                opaque,
                password,
                username: "alice",
                suite,
                ksf: DEFAULT_KSF,
                post: kc.loginPost(),
            });
            assert.equal(res.ok, true);
            assert.match(res.action, /^\/realms\/demo\/login-actions\/authenticate\?step=\d+$/);
            assert.equal(kc.verifyKe3({ opaque_step: "ke3", ke3: res.ke3 }), true);
        });

        await t.test("wrong password: fake KE3 of the right length, rejected by the server", async () => {
            const res = await login({
                opaque,
                password: password + "!",
                username: "alice",
                suite,
                ksf: DEFAULT_KSF,
                post: kc.loginPost(),
            });
            assert.equal(res.ok, false);
            assert.equal(res.ke3.length, Math.ceil((SUITES[suite].ke3 * 4) / 3));
            assert.equal(kc.verifyKe3({ opaque_step: "ke3", ke3: res.ke3 }), false);
        });

        await t.test("unknown user: fake KE2 from the server, fake KE3 rejected", async () => {
            const res = await login({
                opaque,
                password,
                username: "mallory",
                suite,
                ksf: DEFAULT_KSF,
                post: kc.loginPost(),
            });
            assert.equal(res.ok, false);
            assert.ok(isBase64Url(res.ke3, SUITES[suite].ke3));
            assert.equal(kc.verifyKe3({ opaque_step: "ke3", ke3: res.ke3 }), false);
        });

        await t.test("the password never appears in anything posted", () => {
            const wire = JSON.stringify(kc.posted);
            assert.ok(!wire.includes("correct horse"));
            assert.ok(!wire.includes(Buffer.from(password).toString("base64url")));
        });
    });

    test(`${suite}: custom Argon2id parameters from data-ksf are used at both steps`, async () => {
        const opaque = await clientModule(client);
        await serverLib.ready;
        const kc = new FakeAuthenticator(serverLib, suite);
        const password = "tr0ub4dor&3";
        const reg = await register({ opaque, password, suite, ksf: FAST_KSF, post: kc.registrationPost("bob") });
        kc.storeRecord("bob", { opaque_step: "registration-record", record: reg.record });

        const good = await login({ opaque, password, username: "bob", suite, ksf: FAST_KSF, post: kc.loginPost() });
        assert.equal(good.ok, true);
        assert.equal(kc.verifyKe3({ opaque_step: "ke3", ke3: good.ke3 }), true);

        // Same password, other KSF parameters: a different randomized password, so the login fails.
        const other = await login({
            opaque,
            password,
            username: "bob",
            suite,
            ksf: '{"t":2,"m":1024,"p":1}',
            post: kc.loginPost(),
        });
        assert.equal(other.ok, false);
        assert.equal(kc.verifyKe3({ opaque_step: "ke3", ke3: other.ke3 }), false);
    });
}

for (const { suite, client, serverLib } of CASES) {
    test(`${suite}: legacy migration: one typing of the legacy password yields a working OPAQUE record`, async () => {
        const opaque = await clientModule(client);
        await serverLib.ready;
        const kc = new FakeAuthenticator(serverLib, suite);
        const legacyPassword = "legacy p\u00e4ssword \u{1F510}";
        const legacy = new Map([["carol", legacyPassword]]);

        const wrong = await login({
            opaque,
            password: "not-it",
            username: "carol",
            suite,
            ksf: FAST_KSF,
            post: kc.migrationPost(legacy),
            pageUrl: PAGE,
            formAction: FORM_ACTION,
        });
        assert.equal(wrong.step, "legacy-failed");
        assert.equal(wrong.message, "Invalid username or password.");
        assert.equal(kc.records.has("carol"), false);

        const first = await login({
            opaque,
            password: legacyPassword,
            username: "carol",
            suite,
            ksf: FAST_KSF,
            post: kc.migrationPost(legacy),
            pageUrl: PAGE,
            formAction: FORM_ACTION,
        });
        assert.equal(first.step, "legacy-record");
        assert.equal(first.ok, true);
        kc.storeLegacyRecord({ opaque_step: "legacy-record", record: first.record });

        // from now on the pure OPAQUE path, with the same password
        const posted = kc.posted.length;
        const second = await login({
            opaque,
            password: legacyPassword,
            username: "carol",
            suite,
            ksf: FAST_KSF,
            post: kc.migrationPost(legacy),
            pageUrl: PAGE,
            formAction: FORM_ACTION,
        });
        assert.equal(second.step, "ke3");
        assert.equal(second.ok, true);
        assert.equal(kc.verifyKe3({ opaque_step: "ke3", ke3: second.ke3 }), true);
        const after = kc.posted.slice(posted);
        assert.deepEqual(
            after.map((f) => f.opaque_step),
            ["ke1"],
        );
        assert.ok(!JSON.stringify(after).includes(legacyPassword), "no password after the migration");

        // the password went exactly in the two legacy steps, nowhere else
        const withPassword = kc.posted.filter(
            (f) => JSON.stringify(f).includes("p\u00e4ssword") || JSON.stringify(f).includes("not-it"),
        );
        assert.deepEqual(
            withPassword.map((f) => f.opaque_step),
            ["legacy", "legacy"],
        );
    });
}

test(
    "built bundles: small page script with a content-hashed name that loads the hashed suite bundles on demand",
    { skip: !bundleDir && "KEYWARD_BUNDLE_DIR not set" },
    () => {
        assert.deepEqual(Object.keys(bundles).sort(), ["p256", "page", "passkey", "ristretto255"]);
        for (const [entry, name] of Object.entries(bundles)) {
            const prefix = entry === "page" ? "keyward-opaque" : `keyward-opaque-${entry}`;
            assert.match(name, new RegExp(`^${prefix}-[A-Z0-9]{8}\\.js$`), `${entry} is ${name}`);
        }
        const page = readFileSync(join(bundleDir, bundles.page), "utf8");
        assert.ok(page.length < 40_000, `page script is ${page.length} bytes`);
        assert.ok(page.includes(`import("./${bundles.ristretto255}")`));
        assert.ok(page.includes(`import("./${bundles.p256}")`));
        assert.ok(!page.includes("AGFzbQ"), "no wasm in the page script"); // base64 of "\0asm"
        for (const name of [bundles.ristretto255, bundles.p256]) {
            assert.ok(existsSync(join(bundleDir, name)), name);
            const src = readFileSync(join(bundleDir, name), "utf8");
            assert.ok(src.includes("AGFzbQ"), `${name} inlines its wasm`);
            assert.ok(!/\bconsole\.log\b/.test(src), `${name} has no console.log`);
        }
        assert.ok(!/\bconsole\.(log|info|debug)\b/.test(page), "page script never logs");
    },
);
