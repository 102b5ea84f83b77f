// Passkey sign-in (login page and the passkey step after a password): asks the server for a single-use
// challenge, lets the browser's passkey UI answer it, and posts the answer in the form's hidden field.
// On the login page the passkey is also offered in the ID field's autofill (conditional UI) where supported.
(() => {
  const form = document.getElementById('passkey-form');
  const button = document.getElementById('passkey-button');
  const status = document.getElementById('passkey-status');
  const lib = window.SimpleWebAuthnBrowser;
  if (!form || !button) return;
  if (!lib?.browserSupportsWebAuthn()) {
    status.textContent = form.dataset.unsupported;
    button.disabled = true;
    return;
  }

  async function options() {
    const body = new URLSearchParams({ _csrf: form.elements._csrf.value });
    const res = await fetch(form.dataset.options, { method: 'POST', body, credentials: 'same-origin' });
    if (!res.ok) throw new Error(`options ${res.status}`);
    return res.json();
  }

  function send(answer) {
    form.elements.response.value = JSON.stringify(answer);
    form.submit();
  }

  button.addEventListener('click', async () => {
    status.textContent = '';
    try {
      send(await lib.startAuthentication({ optionsJSON: await options() }));
    } catch (err) {
      if (err && err.name === 'AbortError') return;
      status.textContent = form.dataset.cancelled;
    }
  });

  if (form.dataset.autofill === '1') {
    lib
      .browserSupportsWebAuthnAutofill()
      .then(async (supported) => {
        if (!supported) return;
        send(await lib.startAuthentication({ optionsJSON: await options(), useBrowserAutofill: true }));
      })
      .catch(() => {
        // Autofill was cancelled or replaced by the button's ceremony: nothing to tell.
      });
  }
})();
