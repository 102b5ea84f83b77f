// Hawiya's only script (CSP: script-src 'self'); every page works without it.
// 1. The language link on a form page sends the form back with `_lang`, so what was typed is kept
//    (never a password: the server does not show it again).
// 2. A countdown ([data-countdown] seconds) where a person must wait; at zero it says so.
// 3. The error summary has focus (autofocus); if a browser ignored that, give it focus.
(() => {
  const lang = document.querySelector('a.lang-switch[data-lang]');
  const form = document.querySelector('form[data-keep-on-lang]');
  if (lang && form) {
    lang.addEventListener('click', (event) => {
      event.preventDefault();
      const input = document.createElement('input');
      input.type = 'hidden';
      input.name = '_lang';
      input.value = lang.getAttribute('data-lang');
      form.appendChild(input);
      form.submit();
    });
  }

  const locale = document.documentElement.lang === 'ar' ? 'ar-SA' : 'en';
  const digits = new Intl.NumberFormat(locale, { minimumIntegerDigits: 2, useGrouping: false });
  const minutes = new Intl.NumberFormat(locale, { useGrouping: false });
  for (const el of document.querySelectorAll('[data-countdown]')) {
    let left = Number(el.getAttribute('data-countdown'));
    const time = el.querySelector('.countdown-time');
    const tick = () => {
      if (left <= 0) {
        el.textContent = el.getAttribute('data-ready') || '';
        return;
      }
      if (time) time.textContent = `${minutes.format(Math.floor(left / 60))}:${digits.format(left % 60)}`;
      left -= 1;
      setTimeout(tick, 1000);
    };
    tick();
  }

  const summary = document.getElementById('error-summary');
  if (summary && document.activeElement === document.body) summary.focus();
})();
