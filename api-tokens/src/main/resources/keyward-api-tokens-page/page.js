// The user's API-token page. It signs in as the realm's public page client (authorization code
// with PKCE), keeps the access token in memory only, and calls /realms/{realm}/api-tokens.
// Creating a token needs a fresh sign-in: the page sends the user through prompt=login (with
// acr_values=two-factor for a two-factor user) and, when they come back, shows the form filled in
// for them to confirm: a pending creation left in this origin's storage by anything else never
// makes a token by itself.

const realmUrl = new URL('..', location.href).href; // .../realms/{realm}/
const apiUrl = realmUrl + 'api-tokens';
const pageUrl = location.origin + location.pathname;
const clientId = document.body.dataset.client;
const FLIGHT = 'keyward-api-tokens-page:' + realmUrl;
// sign-ins one visit may start on its own (a fresh one, one more for two factors or an expired
// token): never a redirect loop
const MAX_SIGN_INS = 2;

const $ = (id) => document.getElementById(id);
let accessToken = null;
let subject = null;
let settings = null;
let signIns = 0;

function status(text) {
  $('status').textContent = text;
}

function showError(text) {
  const box = $('error');
  box.textContent = text;
  box.hidden = !text;
}

function base64url(bytes) {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomText() {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

/** Leaves for the realm's sign-in; the flight (state, verifier, a pending creation) waits in this tab. */
async function signIn({ fresh = false, twoFactors = false, create = null } = {}) {
  if (signIns >= MAX_SIGN_INS) {
    throw new Error('Your sign-in was not accepted here. Reload the page to try again.');
  }
  const flight = { state: randomText(), verifier: randomText(), create, signIns: signIns + 1, subject };
  const challenge = base64url(
    new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(flight.verifier))));
  sessionStorage.setItem(FLIGHT, JSON.stringify(flight));
  const query = new URLSearchParams({
    client_id: clientId,
    redirect_uri: pageUrl,
    response_type: 'code',
    scope: 'openid',
    state: flight.state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  if (fresh) {
    query.set('prompt', 'login');
  }
  if (twoFactors) {
    query.set('acr_values', 'two-factor');
  }
  status('Signing you in…');
  location.assign(realmUrl + 'protocol/openid-connect/auth?' + query);
}

/** The flight this tab started, taken once: a reload or a second tab cannot replay it. */
function takeFlight() {
  const saved = sessionStorage.getItem(FLIGHT);
  sessionStorage.removeItem(FLIGHT);
  try {
    return saved ? JSON.parse(saved) : null;
  } catch {
    return null;
  }
}

async function redeem(code, flight) {
  const answer = await fetch(realmUrl + 'protocol/openid-connect/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: clientId,
      redirect_uri: pageUrl,
      code,
      code_verifier: flight.verifier,
    }),
  });
  if (!answer.ok) {
    throw new Error('The sign-in could not be completed. Reload the page to try again.');
  }
  return (await answer.json()).access_token;
}

async function api(method, path = '', body) {
  const answer = await fetch(apiUrl + path, {
    method,
    headers: Object.assign(
      { Authorization: 'Bearer ' + accessToken },
      body === undefined ? {} : { 'Content-Type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
  });
  let json = null;
  if (answer.status !== 204) {
    try {
      json = await answer.json();
    } catch {
      json = null;
    }
  }
  return { status: answer.status, json };
}

function when(ms) {
  return ms ? new Date(ms).toLocaleString() : 'never';
}

function cell(row, text) {
  const td = document.createElement('td');
  td.textContent = text;
  row.append(td);
  return td;
}

async function load() {
  const answer = await api('GET');
  if (answer.status === 401 && $('created').hidden) {
    // the access token expired: sign in again (the SSO session usually makes this invisible)
    await signIn();
    return;
  }
  if (answer.status !== 200) {
    throw new Error(answer.json?.error_description || 'Your tokens could not be listed.');
  }
  const tokens = answer.json;
  const body = $('tokens').tBodies[0];
  body.replaceChildren();
  for (const token of tokens) {
    const row = document.createElement('tr');
    row.dataset.tokenId = token.id;
    const name = document.createElement('th');
    name.scope = 'row';
    name.textContent = token.name;
    row.append(name);
    cell(row, token.prefix + '…').classList.add('mono');
    cell(row, token.scopes.length ? token.scopes.join(', ') : 'sign-in name only');
    cell(row, when(token.createdAt));
    cell(row, when(token.expiresAt));
    cell(row, token.lastUsedAt ? when(token.lastUsedAt) + (token.lastUsedFrom ? ' from ' + token.lastUsedFrom : '') : 'never');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'danger';
    button.textContent = 'Revoke';
    button.setAttribute('aria-label', 'Revoke ' + token.name);
    button.addEventListener('click', () => revoke(token));
    cell(row, '').append(button);
    body.append(row);
  }
  $('empty').hidden = tokens.length > 0;
  $('tokens-wrap').hidden = tokens.length === 0;
  $('list-section').hidden = false;
}

async function revoke(token) {
  if (!confirm('Revoke “' + token.name + '”? Scripts using it stop working at once.')) {
    return;
  }
  showError('');
  const answer = await api('DELETE', '/' + encodeURIComponent(token.id));
  if (answer.status === 401) {
    await signIn();
    return;
  }
  if (answer.status !== 204 && answer.status !== 404) {
    showError(answer.json?.error_description || 'The token could not be revoked.');
    return;
  }
  await load();
  status('“' + token.name + '” is revoked.');
  $('list-title').focus();
}

function formValues() {
  return {
    name: $('name').value.trim(),
    days: Number($('days').value),
    scopes: [...document.querySelectorAll('#scopes input:checked')].map((box) => box.value),
  };
}

function fillForm(values) {
  $('name').value = values.name;
  $('days').value = values.days;
  for (const box of document.querySelectorAll('#scopes input')) {
    box.checked = values.scopes.includes(box.value);
  }
}

async function create(values) {
  showError('');
  $('create-button').disabled = true;
  status('Creating the token…');
  let leaving = false;
  try {
    const answer = await api('POST', '', values);
    if (answer.status === 201) {
      $('create').reset();
      $('days').value = settings.defaultDays;
      $('created-token').value = answer.json.token;
      $('created').hidden = false;
      status('Your token “' + answer.json.name + '” is ready. Copy it now: it is shown only once.');
      $('created-title').focus();
      await load();
      return;
    }
    const error = answer.json?.error;
    if (answer.status === 401 || (answer.status === 403
        && (error === 'fresh_sign_in_required' || error === 'two_factors_required'))) {
      leaving = true;
      await signIn({
        fresh: true,
        twoFactors: settings.twoFactors || error === 'two_factors_required',
        create: values,
      });
      return;
    }
    status('');
    showError(answer.json?.error_description || 'The token could not be created.');
  } finally {
    // leaving for the sign-in: a second click would start a second flight
    $('create-button').disabled = leaving;
  }
}

/** A pending creation as this page stores it, or null: anything else is dropped. */
function checkedCreate(values) {
  if (!values || typeof values.name !== 'string' || values.name.length > 64
      || !Number.isInteger(values.days) || !Array.isArray(values.scopes)) {
    return null;
  }
  const offered = settings.scopes.map((scope) => scope.name);
  if (!values.scopes.every((scope) => offered.includes(scope))) {
    return null;
  }
  return values;
}

/** The access token's subject (the page only compares it; the API checks the token). */
function subjectOf(token) {
  try {
    return JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).sub;
  } catch {
    return null;
  }
}

function showForm() {
  $('days').max = settings.maxDays;
  $('days').value = settings.defaultDays;
  $('days-help').textContent = 'From 1 to ' + settings.maxDays + ' days.';
  const fieldset = $('scopes');
  for (const scope of settings.scopes) {
    const id = 'scope-' + scope.name;
    const wrap = document.createElement('div');
    wrap.className = 'check';
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.id = id;
    box.value = scope.name;
    const label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = scope.label;
    const help = document.createElement('p');
    help.className = 'help mono';
    help.id = id + '-help';
    help.textContent = 'scope ' + scope.name;
    box.setAttribute('aria-describedby', help.id);
    wrap.append(box, label, help);
    fieldset.append(wrap);
  }
  $('create-section').hidden = false;
}

function wire() {
  $('create').addEventListener('submit', (event) => {
    event.preventDefault();
    const values = formValues();
    if (!values.name) {
      showError('Give the token a name.');
      $('name').focus();
      return;
    }
    if (!Number.isInteger(values.days) || values.days < 1 || values.days > settings.maxDays) {
      showError('Expires after: a whole number of days from 1 to ' + settings.maxDays + '.');
      $('days').focus();
      return;
    }
    // a click is the user's own: it may start a sign-in again
    signIns = 0;
    create(values).catch((e) => showError(e.message));
  });
  $('copy').addEventListener('click', async () => {
    const field = $('created-token');
    try {
      await navigator.clipboard.writeText(field.value);
      status('Copied.');
    } catch {
      field.select();
      status('Select the token and copy it.');
    }
  });
  $('done').addEventListener('click', () => {
    $('created-token').value = '';
    $('created').hidden = true;
    status('');
    $('list-title').focus();
  });
  // the text must not come back from the back-forward cache
  addEventListener('pagehide', () => {
    $('created-token').value = '';
  });
}

async function start() {
  const query = new URLSearchParams(location.search);
  const returning = query.has('code') || query.has('error');
  const flight = returning ? takeFlight() : null;
  if (!returning) {
    await signIn();
    return;
  }
  // the code, state or error must not stay in the address bar or the history
  history.replaceState(null, '', pageUrl);
  if (!flight || query.get('state') !== flight.state) {
    throw new Error('The sign-in could not be checked. Reload the page to try again.');
  }
  signIns = Number.isInteger(flight.signIns) ? flight.signIns : MAX_SIGN_INS;
  if (query.has('error')) {
    throw new Error('You were not signed in (' + query.get('error') + '). Reload the page to try again.');
  }
  accessToken = await redeem(query.get('code'), flight);
  subject = subjectOf(accessToken);
  const answer = await api('GET', '/settings');
  if (answer.status === 401) {
    await signIn();
    return;
  }
  if (answer.status !== 200) {
    throw new Error(answer.json?.error_description || 'The page could not load its settings.');
  }
  settings = answer.json;
  wire();
  if (settings.enabled) {
    showForm();
  }
  await load();
  status(settings.enabled ? '' : 'New tokens cannot be made in this realm yet: ask your administrator.');
  // back from a fresh sign-in: the form as the user left it, for them to confirm; never for
  // someone else who signed in on the way
  const pending = settings.enabled && flight.subject === subject ? checkedCreate(flight.create) : null;
  if (pending) {
    fillForm(pending);
    status('You signed in again. Check the new token and select Create token.');
    $('create-button').focus();
  }
}

start().catch((e) => {
  status('');
  showError(e.message);
});
