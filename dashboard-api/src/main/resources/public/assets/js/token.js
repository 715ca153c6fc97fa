// The API token, when the gateway has one (GENLEDGER_API_TOKEN): asked for once in a dialog and
// kept in sessionStorage, so it lives as long as this browser tab and is never written to disk
// by the page or put in the URL.

const KEY = 'genledger.apiToken';
let pending = null;

export function storedToken() {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

/** Forgets the token if it is still the one given (a newer one is kept). */
export function forgetToken(token) {
  if (storedToken() === token) {
    sessionStorage.removeItem(KEY);
  }
}

/**
 * Shows the token dialog and resolves when a token was entered; every caller waiting at the same
 * time shares one dialog. Rejects when the dialog is cancelled.
 *
 * @param {string|null} problem why the last token failed, shown in the dialog
 */
export function askForToken(problem) {
  if (pending) {
    return pending;
  }
  pending = new Promise((resolve, reject) => {
    const dialog = document.getElementById('token-dialog');
    const form = document.getElementById('token-form');
    const input = document.getElementById('token-input');
    const error = document.getElementById('token-error');
    error.textContent = problem ?? '';
    error.hidden = !problem;
    input.value = '';
    const cancel = document.getElementById('token-cancel');
    const done = (ok) => {
      form.removeEventListener('submit', onSubmit);
      dialog.removeEventListener('close', onClose);
      cancel.removeEventListener('click', onCancel);
      pending = null;
      if (ok) {
        resolve();
      } else {
        reject(new TokenCancelled());
      }
    };
    const onSubmit = (event) => {
      event.preventDefault();
      const token = input.value.trim();
      if (!token) {
        error.textContent = 'Enter the token, or Cancel.';
        error.hidden = false;
        input.focus();
        return;
      }
      sessionStorage.setItem(KEY, token);
      dialog.close('ok');
    };
    const onClose = () => done(dialog.returnValue === 'ok');
    const onCancel = () => dialog.close('cancel');
    cancel.addEventListener('click', onCancel);
    form.addEventListener('submit', onSubmit);
    dialog.addEventListener('close', onClose);
    dialog.returnValue = '';
    dialog.showModal();
    input.focus();
  });
  return pending;
}

export class TokenCancelled extends Error {
  constructor() {
    super('This gateway needs its API token (GENLEDGER_API_TOKEN) to show the dashboard. Choose "Enter token" to give it.');
    this.name = 'TokenCancelled';
    this.status = 401;
    this.code = 'unauthorized';
  }
}
