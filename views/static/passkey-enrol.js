// Adding a passkey on the account page: a single-use enrolment challenge from the server, the browser's
// passkey UI (fingerprint, face or device PIN), and the answer posted with the name the person chose.
(() => {
  const form = document.getElementById('passkey-add');
  const status = document.getElementById('passkey-add-status');
  const lib = window.SimpleWebAuthnBrowser;
  if (!form) return;
  if (!lib?.browserSupportsWebAuthn()) {
    status.textContent = form.dataset.unsupported;
    form.querySelector('button').disabled = true;
    return;
  }
  form.addEventListener('submit', async (event) => {
    if (form.elements.response.value !== '') return;
    event.preventDefault();
    status.textContent = '';
    try {
      const body = new URLSearchParams({ _csrf: form.elements._csrf.value });
      const res = await fetch(form.dataset.options, { method: 'POST', body, credentials: 'same-origin' });
      // A stale sign-in is told by the server when the form is posted without an answer.
      if (!res.ok) return form.submit();
      const answer = await lib.startRegistration({ optionsJSON: await res.json() });
      form.elements.response.value = JSON.stringify(answer);
      form.submit();
    } catch {
      status.textContent = form.dataset.cancelled;
    }
  });
})();
