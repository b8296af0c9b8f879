// Unit tests of the passkey script's request options (no DOM, no authenticator): what the OPAQUE
// page asks navigator.credentials.get for, from the offer the template renders. The conditional
// (autofill) request is tested here because headless Chromium's virtual authenticator does not
// drive conditional mediation; the button path runs end to end in OpaquePasskeyIT.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import {
    readOffer,
    startsConditional,
    requestOptions,
    assertionFields,
    toBase64Url,
    fromBase64Url,
} from "../src/passkey.js";

// as login-opaque.ftl renders Keycloak's passwordless policy (dataset names)
const PAGE = {
    challenge: "q83vEjRWeJA",
    rpId: "login.example.test",
    userVerification: "required",
    timeout: "0",
    mediation: "conditional",
    userIdentified: "false",
    allowCredentials: "",
};

test("readOffer: the template's attributes, with Keycloak's defaults", () => {
    assert.deepEqual(readOffer(PAGE), {
        challenge: "q83vEjRWeJA",
        rpId: "login.example.test",
        userVerification: "required",
        timeoutSeconds: 0,
        mediation: "conditional",
        userIdentified: false,
        allowCredentials: [],
    });
    const bare = readOffer({ challenge: "AA", rpId: "x" });
    assert.equal(bare.mediation, "conditional");
    assert.equal(bare.userVerification, "not specified");
    assert.equal(bare.timeoutSeconds, 0);
    assert.deepEqual(readOffer({ ...PAGE, allowCredentials: "AQID, BAUG" }).allowCredentials, ["AQID", "BAUG"]);
    assert.equal(readOffer({ ...PAGE, timeout: "nonsense" }).timeoutSeconds, 0);
});

test("conditional request: mediation conditional, empty allowCredentials, the policy's rpId, challenge and UV", () => {
    const signal = new AbortController().signal;
    const options = requestOptions(readOffer(PAGE), "conditional", signal);
    assert.equal(options.mediation, "conditional");
    assert.equal(options.signal, signal);
    assert.equal(options.publicKey.rpId, "login.example.test");
    assert.deepEqual(options.publicKey.allowCredentials, []);
    assert.equal(options.publicKey.userVerification, "required");
    assert.deepEqual([...options.publicKey.challenge], [...fromBase64Url("q83vEjRWeJA")]);
    assert.equal(options.publicKey.challenge.length, 8);
    assert.equal("timeout" in options.publicKey, false, "timeout 0 means the browser's own");
    assert.deepEqual(Object.keys(options).sort(), ["mediation", "publicKey", "signal"]);
});

test("conditional request: a policy timeout in seconds, UV 'not specified' left to the browser", () => {
    const options = requestOptions(
        readOffer({ ...PAGE, timeout: "45", userVerification: "not specified" }),
        "conditional",
    );
    assert.equal(options.publicKey.timeout, 45000);
    assert.equal("userVerification" in options.publicKey, false);
    assert.equal("signal" in options, false);
});

test("the button's request: a modal one (no mediation), the known user's credentials only", () => {
    const anonymous = requestOptions(readOffer({ ...PAGE, allowCredentials: "AQID" }), "button");
    assert.equal("mediation" in anonymous, false);
    assert.deepEqual(anonymous.publicKey.allowCredentials, [], "an unknown user: any discoverable passkey");

    const known = requestOptions(
        readOffer({ ...PAGE, userIdentified: "true", allowCredentials: "AQID,BAUG" }),
        "button",
    );
    assert.deepEqual(
        known.publicKey.allowCredentials.map((c) => [c.type, [...c.id]]),
        [
            ["public-key", [1, 2, 3]],
            ["public-key", [4, 5, 6]],
        ],
    );
});

test("startsConditional: only for an unidentified user, mediation not 'none', where the browser supports it", () => {
    const offer = readOffer(PAGE);
    assert.equal(startsConditional(offer, true), true);
    assert.equal(startsConditional(offer, false), false);
    assert.equal(startsConditional(offer, undefined), false);
    assert.equal(startsConditional(readOffer({ ...PAGE, mediation: "none" }), true), false);
    assert.equal(startsConditional(readOffer({ ...PAGE, userIdentified: "true" }), true), false);
});

test("assertionFields: the fields Keycloak's WebAuthn authenticator reads, base64url without padding", () => {
    const bytes = (...b) => new Uint8Array(b).buffer;
    const fields = assertionFields({
        id: "credential-id",
        response: {
            clientDataJSON: bytes(123, 125),
            authenticatorData: bytes(0xfb, 0xff),
            signature: bytes(1, 2, 3, 4),
            userHandle: bytes(0x75, 0x31),
        },
    });
    assert.deepEqual(fields, {
        clientDataJSON: "e30",
        authenticatorData: "-_8",
        signature: "AQIDBA",
        credentialId: "credential-id",
        userHandle: "dTE",
    });
    const noHandle = assertionFields({
        id: "c",
        response: { clientDataJSON: bytes(), authenticatorData: bytes(), signature: bytes(), userHandle: null },
    });
    assert.equal(noHandle.userHandle, "");
});

test("base64url round trip, padding optional", () => {
    for (let n = 0; n < 40; n++) {
        const data = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff);
        const text = toBase64Url(data);
        assert.match(text, /^[A-Za-z0-9_-]*$/);
        assert.deepEqual([...fromBase64Url(text)], [...data]);
    }
    assert.deepEqual([...fromBase64Url("AQ==")], [1]);
});

const bundleDir = process.env.KEYWARD_BUNDLE_DIR ? resolve(process.env.KEYWARD_BUNDLE_DIR) : undefined;

test(
    "built passkey script: its own small bundle, no OPAQUE client, no wasm; the page script does not carry it",
    { skip: !bundleDir && "KEYWARD_BUNDLE_DIR not set" },
    () => {
        const manifest = readFileSync(
            process.env.KEYWARD_BUNDLE_MANIFEST || join(bundleDir, "keyward-opaque-assets.properties"),
            "utf8",
        );
        const names = Object.fromEntries(
            manifest
                .split("\n")
                .filter((line) => line.includes("=") && !line.startsWith("#"))
                .map((line) => line.trim().split("=", 2)),
        );
        assert.match(names.passkey, /^keyward-opaque-passkey-[A-Z0-9]{8}\.js$/);
        const script = readFileSync(join(bundleDir, names.passkey), "utf8");
        assert.ok(script.length < 8_000, `passkey script is ${script.length} bytes`);
        assert.ok(script.includes('"conditional"'));
        assert.ok(!script.includes("AGFzbQ"), "wasm in the passkey script");
        const page = readFileSync(join(bundleDir, names.page), "utf8");
        assert.ok(!page.includes("isConditionalMediationAvailable"), "the page script carries the passkey code");
    },
);
