// Test-only driver for the opaque-java interoperability tests (SerenityInteropTest).
//
// Usage: node serenity-driver.mjs [@serenity-kit/opaque | @serenity-kit/opaque-p256]
//
// Reads one JSON request per line on stdin:   {"id": 1, "op": "client.startLogin", "params": {...}}
// and writes one JSON response per line:      {"id": 1, "ok": true, "result": ...}
//                                         or  {"id": 1, "ok": false, "error": "...", "undefinedResult": bool}
// "params" is passed unchanged to the library function, so every value stays the base64url
// (no padding) string the library itself produces and expects. Nothing is re-encoded here:
// the point of the tests is to compare our bytes with theirs.
//
// The first line written is a ready message: {"ready": true, "package": ..., "version": ..., "node": ...}.

import { createRequire } from "node:module";
import { createInterface } from "node:readline";

const PACKAGES = ["@serenity-kit/opaque", "@serenity-kit/opaque-p256"];
const packageName = process.argv[2] ?? PACKAGES[0];
if (!PACKAGES.includes(packageName)) {
    process.stderr.write(`serenity-driver: unsupported package ${packageName}\n`);
    process.exit(2);
}

const opaque = (await import(packageName)).default;
await opaque.ready;

// Explicit allow-list: the test must not be able to call anything else by accident.
const OPS = {
    "server.createSetup": () => opaque.server.createSetup(),
    "server.getPublicKey": (p) => opaque.server.getPublicKey(p.serverSetup),
    "server.createRegistrationResponse": (p) => opaque.server.createRegistrationResponse(p),
    "server.startLogin": (p) => opaque.server.startLogin(p),
    "server.finishLogin": (p) => opaque.server.finishLogin(p),
    "client.startRegistration": (p) => opaque.client.startRegistration(p),
    "client.finishRegistration": (p) => opaque.client.finishRegistration(p),
    "client.startLogin": (p) => opaque.client.startLogin(p),
    "client.finishLogin": (p) => opaque.client.finishLogin(p),
};

function handle(line) {
    let request;
    try {
        request = JSON.parse(line);
    } catch (e) {
        return { id: null, ok: false, error: `bad request JSON: ${e.message}`, undefinedResult: false };
    }
    const { id = null, op, params = {} } = request;
    const fn = OPS[op];
    if (!fn) {
        return { id, ok: false, error: `unknown op ${op}`, undefinedResult: false };
    }
    try {
        const result = fn(params);
        // client.finishLogin signals every authentication failure by returning undefined.
        if (result === undefined) {
            return { id, ok: false, error: `${op} returned undefined`, undefinedResult: true };
        }
        return { id, ok: true, result };
    } catch (e) {
        return { id, ok: false, error: String(e?.message ?? e), undefinedResult: false };
    }
}

const require = createRequire(import.meta.url);
const write = (obj) => process.stdout.write(JSON.stringify(obj) + "\n");
write({
    ready: true,
    package: packageName,
    version: require(`${packageName}/package.json`).version,
    node: process.version,
});

// Requests are handled strictly one at a time, in order; the library calls are synchronous.
for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    if (line.trim() !== "") {
        write(handle(line));
    }
}
