// Keyward OPAQUE page script: login (form#kc-form-login) and registration (form#kc-opaque-register).
//
// Bundled to theme-resources/resources/js/keyward-opaque.js (small); the OPAQUE library for the
// page's suite is a separate bundle loaded on demand (keyward-opaque-ristretto255.js or
// keyward-opaque-p256.js, next to this file), so the page only downloads the wasm it needs and
// can say so clearly when WebAssembly is unavailable. The password inputs have no name attribute:
// they are never part of a form submission; only KE1/KE3 or the registration request/record are.
//
// Nothing here logs: passwords and protocol messages must never reach the console.

import { OpaqueClientError, checkAction, checkNewPassword, login, register, suiteInfo } from './logic.js';

const LOADERS = {
  ristretto255: () => import('./suite-ristretto255.js'),
  p256: () => import('./suite-p256.js'),
};

const FALLBACK_MESSAGES = {
  msgError: 'Something went wrong. Please try again.',
  msgNoWasm: 'This page needs WebAssembly, which this browser or the site\u2019s security policy does not allow.',
  msgEmpty: 'Please specify password.',
  msgMismatch: 'Password confirmation doesn\u2019t match.',
  msgTooShort: 'Invalid password: minimum length {0}.',
  msgTooLong: 'Invalid password: maximum length {0}.',
  msgEqualsUsername: 'Invalid password: must not be equal to the username.',
  msgEqualsEmail: 'Invalid password: must not be equal to the email.',
};

const CHECK_MESSAGES = {
  empty: 'msgEmpty',
  mismatch: 'msgMismatch',
  tooShort: 'msgTooShort',
  tooLong: 'msgTooLong',
  equalsUsername: 'msgEqualsUsername',
  equalsEmail: 'msgEqualsEmail',
};

function hasWebAssembly() {
  return (
    typeof WebAssembly === 'object' &&
    WebAssembly !== null &&
    typeof WebAssembly.compile === 'function' &&
    typeof WebAssembly.instantiate === 'function'
  );
}

function message(form, key, arg) {
  const text = form.dataset[key] || FALLBACK_MESSAGES[key] || FALLBACK_MESSAGES.msgError;
  return arg === undefined ? text : text.split('{0}').join(String(arg));
}

/** The page's error area: #kc-opaque-error (or data-error-target), created if the template has none. */
function errorArea(form) {
  const id = form.dataset.errorTarget || 'kc-opaque-error';
  let area = document.getElementById(id);
  if (!area) {
    area = document.createElement('div');
    area.id = id;
    area.className = 'keyward-opaque-error';
    area.setAttribute('role', 'alert');
    area.setAttribute('aria-live', 'assertive');
    form.insertBefore(area, form.firstChild);
  }
  return area;
}

function showErrors(form, texts) {
  const area = errorArea(form);
  area.replaceChildren(
    ...texts.map((text) => {
      const line = document.createElement('div');
      line.textContent = text;
      return line;
    }),
  );
  area.hidden = false;
  area.style.removeProperty('display');
}

function clearErrors(form) {
  const id = form.dataset.errorTarget || 'kc-opaque-error';
  const area = document.getElementById(id);
  if (area) {
    area.replaceChildren();
    area.hidden = true;
  }
}

function submitButtons(form) {
  return Array.from(form.querySelectorAll('button, input[type="submit"], input[type="image"]')).filter(
    (el) => el.type === 'submit' || el.type === 'image',
  );
}

function setBusy(form, busy) {
  for (const button of submitButtons(form)) {
    button.disabled = busy;
  }
  if (busy) {
    form.setAttribute('aria-busy', 'true');
  } else {
    form.removeAttribute('aria-busy');
  }
}

/** Buttons that must submit the form as it is, without OPAQUE (e.g. "Cancel" of an application-initiated action). */
function isPassThrough(submitter) {
  return (
    !!submitter &&
    (submitter.name === 'cancel-aia' ||
      submitter.hasAttribute('formnovalidate') ||
      submitter.hasAttribute('data-opaque-skip'))
  );
}

function field(form, name) {
  const el = form.elements.namedItem(name);
  return el && !(typeof RadioNodeList !== 'undefined' && el instanceof RadioNodeList) ? el : null;
}

function setHidden(form, name, value) {
  let el = field(form, name);
  if (!el) {
    el = document.createElement('input');
    el.type = 'hidden';
    el.name = name;
    form.appendChild(el);
  }
  el.value = value;
}

function makePost(url) {
  return async (fields) => {
    let response;
    try {
      response = await fetch(url, {
        method: 'POST',
        credentials: 'same-origin',
        cache: 'no-store',
        headers: { Accept: 'application/json' },
        body: new URLSearchParams(fields),
      });
    } catch {
      throw new OpaqueClientError('network', 'Network error');
    }
    if (!response.ok) {
      throw new OpaqueClientError('http-status', 'Unexpected HTTP status');
    }
    try {
      return await response.json();
    } catch {
      throw new OpaqueClientError('bad-response', 'Unexpected server answer');
    }
  };
}

function nativeSubmit(form, action) {
  form.action = action;
  // The prototype's submit(): immune to a control named "submit", and fires no submit event.
  HTMLFormElement.prototype.submit.call(form);
}

/**
 * Starts loading the suite's OPAQUE bundle at once, so the wasm compiles while the user types.
 * A failed download is retried on the next call; a refused wasm compilation is final.
 */
function suiteLoader(form) {
  let promise;
  return () => {
    if (!promise) {
      promise = (async () => {
        if (!hasWebAssembly()) {
          throw new OpaqueClientError('no-wasm', 'WebAssembly unavailable');
        }
        const info = suiteInfo(form.dataset.suite);
        let mod;
        try {
          mod = await LOADERS[info.module]();
        } catch {
          promise = undefined;
          throw new OpaqueClientError('load-failed', 'OPAQUE client could not be loaded');
        }
        try {
          await mod.ready;
        } catch {
          // wasm compilation refused, e.g. by a CSP without 'wasm-unsafe-eval'.
          throw new OpaqueClientError('no-wasm', 'WebAssembly unavailable');
        }
        return mod;
      })();
      promise.catch(() => {});
    }
    return promise;
  };
}

function failureText(form, error) {
  return error instanceof OpaqueClientError && error.code === 'no-wasm'
    ? message(form, 'msgNoWasm')
    : message(form, 'msgError');
}

function guard(form, loadSuite, run) {
  let busy = false;
  form.addEventListener('submit', (event) => {
    if (isPassThrough(event.submitter)) {
      return;
    }
    event.preventDefault();
    if (busy) {
      return;
    }
    busy = true;
    clearErrors(form);
    setBusy(form, true);
    run(loadSuite)
      .then((submitted) => {
        if (!submitted) {
          busy = false;
          setBusy(form, false);
        }
      })
      .catch((error) => {
        busy = false;
        setBusy(form, false);
        showErrors(form, [failureText(form, error)]);
      });
  });
  // Back/forward cache: a restored page must be usable again and must not hold old messages.
  window.addEventListener('pageshow', (event) => {
    if (event.persisted && busy) {
      busy = false;
      setBusy(form, false);
    }
  });
}

function initLogin(form) {
  const loadSuite = suiteLoader(form);
  const passwordInput = form.querySelector('#password');
  guard(form, loadSuite, async () => {
    const opaque = await loadSuite();
    const usernameInput = field(form, 'username');
    const password = passwordInput ? passwordInput.value : '';
    const result = await login({
      opaque,
      password,
      username: usernameInput ? usernameInput.value : '',
      suite: form.dataset.suite,
      ksf: form.dataset.ksf,
      post: makePost(form.action),
    });
    const action = checkAction(result.action, window.location.href);
    setHidden(form, 'ke3', result.ke3);
    setHidden(form, 'opaque_step', 'ke3');
    if (passwordInput) {
      passwordInput.value = '';
    }
    nativeSubmit(form, action);
    return true;
  });
  return loadSuite;
}

function initRegister(form) {
  const loadSuite = suiteLoader(form);
  const newInput = form.querySelector('#password-new');
  const confirmInput = form.querySelector('#password-confirm');
  guard(form, loadSuite, async () => {
    const password = newInput ? newInput.value : '';
    const errors = checkNewPassword({
      password,
      confirm: confirmInput ? confirmInput.value : '',
      minLength: form.dataset.minLength,
      maxLength: form.dataset.maxLength,
      username: form.dataset.username,
      email: form.dataset.email,
    });
    for (const input of [newInput, confirmInput]) {
      if (input) input.removeAttribute('aria-invalid');
    }
    if (errors.length > 0) {
      showErrors(
        form,
        errors.map((code) =>
          message(
            form,
            CHECK_MESSAGES[code],
            code === 'tooShort' ? form.dataset.minLength : code === 'tooLong' ? form.dataset.maxLength : undefined,
          ),
        ),
      );
      const target = errors[0] === 'mismatch' ? confirmInput : newInput;
      if (target) {
        target.setAttribute('aria-invalid', 'true');
        target.focus();
      }
      return false;
    }
    const opaque = await loadSuite();
    const result = await register({
      opaque,
      password,
      suite: form.dataset.suite,
      ksf: form.dataset.ksf,
      post: makePost(form.action),
    });
    const action = checkAction(result.action, window.location.href);
    setHidden(form, 'record', result.record);
    setHidden(form, 'opaque_step', 'registration-record');
    if (newInput) newInput.value = '';
    if (confirmInput) confirmInput.value = '';
    nativeSubmit(form, action);
    return true;
  });
  return loadSuite;
}

function init() {
  const forms = [
    [document.getElementById('kc-form-login'), initLogin],
    [document.getElementById('kc-opaque-register'), initRegister],
  ];
  for (const [form, setup] of forms) {
    // Only OPAQUE forms: they carry the opaque_step hidden input.
    if (!(form instanceof HTMLFormElement) || !field(form, 'opaque_step')) {
      continue;
    }
    if (!hasWebAssembly()) {
      showErrors(form, [message(form, 'msgNoWasm')]);
      setBusy(form, true);
      continue;
    }
    const loadSuite = setup(form);
    loadSuite().catch((error) => {
      // Only a final failure is shown now; anything else is retried (and reported) on submit.
      if (error instanceof OpaqueClientError && error.code === 'no-wasm') {
        showErrors(form, [message(form, 'msgNoWasm')]);
        setBusy(form, true);
      }
    });
  }
}

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', init, { once: true });
} else {
  init();
}
