// Manual smoke test of the built page script in headless Chromium (not part of the Maven build;
// the real-browser tests run against Keycloak in the integration tests).
//   node build.mjs dist && node browser-smoke.mjs dist [chromium]   (build.mjs writes dist/keyward-opaque-assets.properties)
// Serves a login and a registration page shaped like login-opaque.ftl / register-opaque.ftl, with
// a CSP of script-src 'self' 'wasm-unsafe-eval', plays the authenticator with @serenity-kit/opaque's
// server functions, and lets the page register, log in, fail with a wrong password and reject
// a short password; and without 'wasm-unsafe-eval' it must say so. Prints what the browser POSTed (the password must never appear).
import { createServer } from "node:http";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { execFile } from "node:child_process";
import * as ristretto from "@serenity-kit/opaque";
import * as p256 from "@serenity-kit/opaque-p256";

await ristretto.ready;
await p256.ready;
const LIBS = { "ristretto255-SHA512": ristretto, "P256-SHA256": p256 };
const SETUPS = { "ristretto255-SHA512": ristretto.server.createSetup(), "P256-SHA256": p256.server.createSetup() };
const dist = resolve(process.argv[2] || "dist");
// the page script's content-hashed name, from build.mjs's default manifest in the same directory
const pageScript = /^page=(.+)$/m.exec(readFileSync(join(dist, "keyward-opaque-assets.properties"), "utf8"))[1].trim();
const chromium = process.argv[3] || "chromium";
const records = new Map();
let pending = null;
const bodies = [];
let scenario = {};
let verdict = null;
let child = null;

const PASSWORD = "Sm0ke-test passw\u00f6rd";

// Shaped like the templates in src/main/resources/theme-resources/templates.
function page(kind) {
    const driver = `/driver.js?${new URLSearchParams(scenario)}`;
    const common = `data-suite="${scenario.suite}" data-ksf="{&quot;t&quot;:3,&quot;m&quot;:65536,&quot;p&quot;:4}"`;
    const hidden = scenario.usernameHidden === "true";
    const form =
        kind === "login"
            ? `<form id="kc-opaque-login-form" action="/realms/smoke/login-actions/authenticate?step=1" method="post" novalidate="novalidate"
             data-keyward-opaque="login" ${common} data-username-hidden="${hidden}"
             data-msg-failed="Signing in could not be completed." data-msg-required="Please enter your username and password."
             data-msg-working="Protecting your password…">
           ${hidden ? "" : '<input id="username" name="username" type="text">'}
           <input id="password" type="password" autocomplete="current-password">
           <input type="checkbox" name="rememberMe" checked>
           <input type="hidden" id="opaque_step" name="opaque_step" value=""><input type="hidden" id="ke3" name="ke3" value="">
           <div id="keyward-opaque-error" data-alert-class="alert" data-title-class="alert-title" role="alert" aria-live="polite" tabindex="-1" hidden></div>
           <button id="kc-login" type="submit" disabled>Sign in</button>
           <p id="keyward-opaque-script-hint">If the button stays unavailable, reload the page.</p></form>`
            : `<form id="kc-opaque-register-form" action="/realms/smoke/login-actions/required-action?step=1" method="post" novalidate="novalidate"
             data-keyward-opaque="register" ${common}
             data-username="alice" data-email="alice@example.org" data-min-length="8" data-max-length="0"
             data-not-username="true" data-not-contains-username="true" data-not-email="true"
             data-msg-mismatch="Passwords don't match." data-msg-too-short="Invalid password: minimum length 8."
             data-msg-too-long="Invalid password: maximum length 0." data-msg-is-username="Is username."
             data-msg-contains-username="Contains username." data-msg-is-email="Is email."
             data-msg-failed="Your password could not be set." data-msg-working="Protecting your password…">
           <input id="keyward-opaque-username" type="text" autocomplete="username" value="alice" hidden>
           <input id="password-new" type="password"><input id="password-confirm" type="password">
           <input id="logout-sessions" name="logout-sessions" type="checkbox" value="on" checked>
           <input type="hidden" id="opaque_step" name="opaque_step" value=""><input type="hidden" id="record" name="record" value="">
           <div id="keyward-opaque-error" data-alert-class="alert" data-title-class="alert-title" role="alert" aria-live="polite" tabindex="-1" hidden></div>
           <button id="kc-submit" type="submit" disabled>Submit</button>
           <button id="kc-cancel" form="kc-opaque-cancel-form" type="submit">Cancel</button>
           <p id="keyward-opaque-script-hint">If the button stays unavailable, reload the page.</p></form>
           <form id="kc-opaque-cancel-form" action="/realms/smoke/login-actions/required-action?step=1" method="post" hidden>
           <input type="hidden" name="cancel-aia" value="true"></form>`;
    // scenario "blocked": the page script does not load (as under a CSP or a filter that blocks it)
    const script = scenario.blocked === "true" ? "/js/blocked.js" : `/js/${pageScript}`;
    return `<!doctype html><html><head><meta charset="utf-8"></head>
    <body>${form}<script type="module" src="${script}"></script><script type="module" src="${driver}"></script></body></html>`;
}

const DRIVER = `
const q = new URLSearchParams(new URL(import.meta.url).search);
const set = (id, v) => { const el = document.getElementById(id); if (el) el.value = v; };
set('username', q.get('username') || '');
set('password', q.get('password') || '');
set('password-new', q.get('password') || '');
set('password-confirm', q.get('confirm') || q.get('password') || '');
// the user clicks the submit button (or another one); while the page stays, its state goes to #smoke-state
setTimeout(() => {
  const button = document.getElementById(q.get('click') || 'kc-login') || document.getElementById('kc-submit');
  button.click();
}, 300);
setTimeout(() => {
  const form = document.querySelector('form[data-keyward-opaque]');
  const area = document.getElementById('keyward-opaque-error');
  const main = document.getElementById('kc-login') || document.getElementById('kc-submit');
  const state = {
    ready: form.hasAttribute('data-keyward-ready'),
    button: (main.disabled ? 'disabled ' : 'enabled ') + JSON.stringify(main.textContent),
    focus: document.activeElement ? document.activeElement.id || document.activeElement.tagName : null,
    invalid: [...document.querySelectorAll('[aria-invalid="true"]')].map((e) => e.id),
    errors: area.hidden ? [] : [...area.querySelectorAll('li')].map((e) => e.textContent).concat(area.querySelector('li') ? [] : [area.textContent]),
    errorChildren: area.hidden ? 0 : area.children.length,
    status: document.getElementById('keyward-opaque-status') ? JSON.stringify(document.getElementById('keyward-opaque-status').textContent) : 'none',
    hint: !!document.getElementById('keyward-opaque-script-hint'),
  };
  const pre = document.createElement('pre');
  pre.id = 'smoke-state';
  pre.textContent = JSON.stringify(state);
  document.body.appendChild(pre);
}, 8000);
`;

function readBody(req) {
    return new Promise((res) => {
        let data = "";
        req.on("data", (c) => (data += c));
        req.on("end", () => res(data));
    });
}

const srv = createServer(async (req, res) => {
    const url = new URL(req.url, "http://x");
    const scriptSrc = url.searchParams.has("nowasm") ? "'self'" : "'self' 'wasm-unsafe-eval'";
    const csp = { "Content-Security-Policy": `script-src ${scriptSrc}; object-src 'none'` };
    if (req.method === "GET" && url.pathname.startsWith("/js/")) {
        if (!existsSync(join(dist, url.pathname.slice(4)))) {
            res.writeHead(404);
            return res.end();
        }
        res.writeHead(200, { "Content-Type": "text/javascript" });
        return res.end(readFileSync(join(dist, url.pathname.slice(4))));
    }
    if (req.method === "GET" && url.pathname === "/driver.js") {
        res.writeHead(200, { "Content-Type": "text/javascript" });
        return res.end(DRIVER);
    }
    if (req.method === "GET") {
        res.writeHead(200, { "Content-Type": "text/html", ...csp });
        return res.end(page(url.pathname.slice(1)));
    }
    const body = await readBody(req);
    bodies.push({ path: req.url, accept: req.headers.accept, body });
    const f = Object.fromEntries(new URLSearchParams(body));
    const server = LIBS[scenario.suite].server;
    const setup = SETUPS[scenario.suite];
    const json = (o) => {
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end(JSON.stringify(o));
    };
    const html = (t) => {
        verdict = t;
        setTimeout(() => child?.kill(), 300);
        res.writeHead(200, { "Content-Type": "text/html" });
        res.end(`<p id="result">${t}</p>`);
    };
    if (f["cancel-aia"] === "true") {
        return html("CANCELLED (opaque_step=" + JSON.stringify(f.opaque_step) + ")");
    }
    if (f.opaque_step === "registration-request") {
        const { registrationResponse } = server.createRegistrationResponse({
            serverSetup: setup,
            userIdentifier: "alice",
            registrationRequest: f.request,
        });
        return json({ response: registrationResponse, action: "/realms/smoke/login-actions/required-action?step=2" });
    }
    if (f.opaque_step === "registration-record") {
        records.set(scenario.suite + ":alice", f.record);
        return html("REGISTERED, logout-sessions=" + f["logout-sessions"]);
    }
    if (f.opaque_step === "ke1" && f.username === "error400") {
        res.writeHead(400, { "Content-Type": "application/json" });
        return res.end('{"error":"invalid_request"}');
    }
    if (f.opaque_step === "ke1") {
        if (f.username === "") f.username = "alice"; // usernameHidden: the server knows the user
        const r = server.startLogin({
            serverSetup: setup,
            registrationRecord: records.get(scenario.suite + ":" + f.username) ?? null,
            startLoginRequest: f.ke1,
            userIdentifier: f.username,
        });
        pending = r.serverLoginState;
        return json({ ke2: r.loginResponse, action: "/realms/smoke/login-actions/authenticate?step=2" });
    }
    if (f.opaque_step === "ke3") {
        try {
            server.finishLogin({ serverLoginState: pending, finishLoginRequest: f.ke3 });
            return html(
                "LOGGED-IN" +
                    (f.username ? " as " + f.username : " (username hidden)") +
                    ", rememberMe=" +
                    f.rememberMe,
            );
        } catch {
            return html("INVALID (ke3 length " + f.ke3.length + ", username " + f.username + ")");
        }
    }
    res.writeHead(400);
    res.end();
});
await new Promise((r) => srv.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${srv.address().port}`;

async function run(path, sc) {
    scenario = sc;
    verdict = null;
    const dom = await new Promise((done) => {
        child = execFile(
            chromium,
            ["--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=20000", "--dump-dom", base + path],
            { encoding: "utf8", timeout: Number(process.env.SMOKE_TIMEOUT || 60000) },
            (err, stdout) => done(stdout || ""),
        );
    });
    const state = /<pre id="smoke-state">(.*?)<\/pre>/s.exec(dom)?.[1];
    return verdict ?? "STAYED ON PAGE: " + (state ? state.replace(/&quot;/g, '"') : "(no state)");
}

const out = [];
for (const suite of ["ristretto255-SHA512", "P256-SHA256"]) {
    const go = async (name, path, sc) => out.push([`${suite} ${name}`, await run(path, { suite, ...sc })]);
    await go("register, short password", "/register", { password: "short" });
    await go("register, mismatch", "/register", { password: PASSWORD, confirm: PASSWORD + "x" });
    await go("register, contains username", "/register", { password: "xx-alice-xx" });
    await go("register, three errors", "/register", { password: "alice", confirm: "alicx" });
    await go("register, cancel (AIA)", "/register", { password: "short", click: "kc-cancel" });
    await go("register, cancel (AIA) without the script", "/register", { blocked: "true", click: "kc-cancel" });
    await go("register, script blocked", "/register", { blocked: "true", password: PASSWORD });
    await go("register", "/register", { password: PASSWORD });
    await go("login", "/login", { username: "alice", password: PASSWORD });
    await go("login, username hidden", "/login", { usernameHidden: "true", password: PASSWORD });
    await go("login, empty password", "/login", { username: "alice", password: "" });
    await go("login, script blocked", "/login", { blocked: "true", username: "alice", password: PASSWORD });
    await go("login, wrong password", "/login", { username: "alice", password: "wrong" });
    await go("login, server answers 400", "/login", { username: "error400", password: PASSWORD });
    await go("login, unknown user", "/login", { username: "bob", password: PASSWORD });
    await go("login, CSP without wasm-unsafe-eval", "/login?nowasm", { username: "alice", password: PASSWORD });
}
srv.close();
for (const [name, r] of out) console.log(`${name}: ${r}`);
const leaked = bodies.some((b) => b.body.includes(encodeURIComponent(PASSWORD)) || b.body.includes("Sm0ke"));
console.log(
    "POSTs:",
    bodies.map((b) => `${b.path} [${[...new URLSearchParams(b.body).keys()].join(",")}]`).join(" | "),
);
console.log("password in any POST body:", leaked);
process.exit(leaked ? 1 : 0);
