// Counts what the host page would see go wrong: CSP violations, errors and unhandled rejections.
window.__seen = { violations: [], errors: [], rejections: [] };
document.addEventListener('securitypolicyviolation', (e) => window.__seen.violations.push(`${e.violatedDirective} ${e.blockedURI}`));
window.addEventListener('error', (e) => window.__seen.errors.push(String(e.message)));
window.addEventListener('unhandledrejection', (e) => window.__seen.rejections.push(String(e.reason)));
window.moodpoint =
  window.moodpoint ||
  function () {
    (moodpoint.q = moodpoint.q || []).push(arguments);
  };
