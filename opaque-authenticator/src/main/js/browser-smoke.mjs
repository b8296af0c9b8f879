// Manual smoke test of the built page script in headless Chromium (not part of the Maven build;
// the real-browser tests run against Keycloak in the integration tests).
//   node build.mjs dist && node browser-smoke.mjs dist [chromium]
// Serves a login and a registration page shaped like login-opaque.ftl / register-opaque.ftl, with
// a CSP of script-src 'self' 'wasm-unsafe-eval', plays the authenticator with @serenity-kit/opaque's
// server functions, and lets the page register, log in, fail with a wrong password and reject
// a short password; and without 'wasm-unsafe-eval' it must say so. Prints what the browser POSTed (the password must never appear).
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execFile } from 'node:child_process';
import * as ristretto from '@serenity-kit/opaque';
import * as p256 from '@serenity-kit/opaque-p256';

await ristretto.ready;
await p256.ready;
const LIBS = { 'ristretto255-SHA512': ristretto, 'P256-SHA256': p256 };
const SETUPS = { 'ristretto255-SHA512': ristretto.server.createSetup(), 'P256-SHA256': p256.server.createSetup() };
const dist = resolve(process.argv[2] || 'dist');
const chromium = process.argv[3] || 'chromium';
const records = new Map();
let pending = null;
const bodies = [];
let scenario = {};
let verdict = null;
let child = null;

const PASSWORD = 'Sm0ke-test passw\u00f6rd';

function page(kind) {
  const driver = `/driver.js?${new URLSearchParams(scenario)}`;
  const common = `data-suite="${scenario.suite}" data-ksf='{"t":3,"m":65536,"p":4}'`;
  const form =
    kind === 'login'
      ? `<form id="kc-form-login" action="/login-action?step=1" method="post" ${common}>
           <div id="kc-opaque-error" role="alert" hidden></div>
           <input name="username" id="username"><input type="password" id="password">
           <input type="hidden" name="ke3"><input type="hidden" name="opaque_step">
           <button type="submit" name="login">Sign in</button></form>`
      : `<form id="kc-opaque-register" action="/register-action?step=1" method="post" ${common}
             data-min-length="8" data-username="alice" data-email="alice@example.org"
             data-msg-too-short="Too short: {0}" data-msg-error="Generic error">
           <input type="password" id="password-new"><input type="password" id="password-confirm">
           <input type="hidden" name="record"><input type="hidden" name="opaque_step">
           <button type="submit">Save</button></form>`;
  return `<!doctype html><html><head><meta charset="utf-8">
    <script type="module" src="/js/keyward-opaque.js"></script></head>
    <body>${form}<script type="module" src="${driver}"></script></body></html>`;
}

const DRIVER = `
const q = new URLSearchParams(new URL(import.meta.url).search);
const set = (id, v) => { const el = document.getElementById(id); if (el) el.value = v; };
set('username', q.get('username') || '');
set('password', q.get('password') || '');
set('password-new', q.get('password') || '');
set('password-confirm', q.get('confirm') || q.get('password') || '');
setTimeout(() => document.querySelector('form').requestSubmit(), 300);
`;

function readBody(req) {
  return new Promise((res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => res(data));
  });
}

const srv = createServer(async (req, res) => {
  const url = new URL(req.url, 'http://x');
  const scriptSrc = url.searchParams.has('nowasm') ? "'self'" : "'self' 'wasm-unsafe-eval'";
  const csp = { 'Content-Security-Policy': `script-src ${scriptSrc}; object-src 'none'` };
  if (req.method === 'GET' && url.pathname.startsWith('/js/')) {
    res.writeHead(200, { 'Content-Type': 'text/javascript' });
    return res.end(readFileSync(join(dist, url.pathname.slice(4))));
  }
  if (req.method === 'GET' && url.pathname === '/driver.js') {
    res.writeHead(200, { 'Content-Type': 'text/javascript' });
    return res.end(DRIVER);
  }
  if (req.method === 'GET') {
    res.writeHead(200, { 'Content-Type': 'text/html', ...csp });
    return res.end(page(url.pathname.slice(1)));
  }
  const body = await readBody(req);
  bodies.push({ path: req.url, accept: req.headers.accept, body });
  const f = Object.fromEntries(new URLSearchParams(body));
  const server = LIBS[scenario.suite].server;
  const setup = SETUPS[scenario.suite];
  const json = (o) => { res.writeHead(200, { 'Content-Type': 'application/json' }); res.end(JSON.stringify(o)); };
  const html = (t) => { verdict = t; setTimeout(() => child?.kill(), 300); res.writeHead(200, { 'Content-Type': 'text/html' }); res.end(`<p id="result">${t}</p>`); };
  if (f.opaque_step === 'registration-request') {
    const { registrationResponse } = server.createRegistrationResponse({ serverSetup: setup, userIdentifier: 'alice', registrationRequest: f.request });
    return json({ response: registrationResponse, action: '/register-action?step=2' });
  }
  if (f.opaque_step === 'registration-record') {
    records.set(scenario.suite + ':alice', f.record);
    return html('REGISTERED');
  }
  if (f.opaque_step === 'ke1') {
    const r = server.startLogin({ serverSetup: setup, registrationRecord: records.get(scenario.suite + ':' + f.username) ?? null, startLoginRequest: f.ke1, userIdentifier: f.username });
    pending = r.serverLoginState;
    return json({ ke2: r.loginResponse, action: '/login-action?step=2' });
  }
  if (f.opaque_step === 'ke3') {
    try {
      server.finishLogin({ serverLoginState: pending, finishLoginRequest: f.ke3 });
      return html('LOGGED-IN as ' + f.username);
    } catch {
      return html('INVALID (ke3 length ' + f.ke3.length + ', username ' + f.username + ')');
    }
  }
  res.writeHead(400);
  res.end();
});
await new Promise((r) => srv.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${srv.address().port}`;

async function run(path, sc) {
  scenario = sc;
  verdict = null;
  const dom = await new Promise((done) => {
    child = execFile(
      chromium,
      ['--headless', '--no-sandbox', '--disable-gpu', '--virtual-time-budget=20000', '--dump-dom', base + path],
      { encoding: 'utf8', timeout: Number(process.env.SMOKE_TIMEOUT || 60000) },
      (err, stdout) => done(stdout || ''),
    );
  });
  const error = /id="kc-opaque-error"[^>]*>(.*?)<\/div><\/?/s.exec(dom)?.[1];
  return verdict ?? 'STAYED ON PAGE, error area: ' + (error ?? '(none)');
}

const out = [];
for (const suite of ['ristretto255-SHA512', 'P256-SHA256']) {
  const go = async (name, path, sc) => out.push([`${suite} ${name}`, await run(path, { suite, ...sc })]);
  await go('register, short password', '/register', { password: 'short' });
  await go('register, mismatch', '/register', { password: PASSWORD, confirm: PASSWORD + 'x' });
  await go('register', '/register', { password: PASSWORD });
  await go('login', '/login', { username: 'alice', password: PASSWORD });
  await go('login, wrong password', '/login', { username: 'alice', password: 'wrong' });
  await go('login, unknown user', '/login', { username: 'bob', password: PASSWORD });
  await go('login, CSP without wasm-unsafe-eval', '/login?nowasm', { username: 'alice', password: PASSWORD });
}
srv.close();
for (const [name, r] of out) console.log(`${name}: ${r}`);
const leaked = bodies.some((b) => b.body.includes(encodeURIComponent(PASSWORD)) || b.body.includes('Sm0ke'));
console.log('POSTs:', bodies.map((b) => `${b.path} [${[...new URLSearchParams(b.body).keys()].join(',')}]`).join(' | '));
console.log('password in any POST body:', leaked);
process.exit(leaked ? 1 : 0);
