// Set-up of the fault suite page (test/browser/faults.test.ts, tools/faults/run.mjs): counts
// unhandled rejections, reports the widget's events to the test through the `__mpReport`
// binding, and inits the widget with `?site=` so that each run's answers can be told apart.
(function () {
  var report = function (type, payload) {
    try {
      if (typeof window.__mpReport === 'function') window.__mpReport(type, payload);
    } catch {
      // the binding is gone while the page closes
    }
  };
  window.__mpUnhandled = 0;
  window.addEventListener('unhandledrejection', function (e) {
    window.__mpUnhandled++;
    var r = e.reason;
    report('unhandledrejection', String((r && r.stack) || r));
  });
  var params = new URLSearchParams(location.search);
  ['answer', 'sent', 'error'].forEach(function (name) {
    moodpoint('on', name, function (payload) {
      report(name, payload);
    });
  });
  moodpoint('init', {
    site: params.get('site') || 'faults',
    brand: 'Acme',
    locale: 'en',
    debug: params.has('debug'),
    impressions: params.get('impressions') !== 'off',
    throttle: { maxPerSession: 10 },
    touchpoints: [{ id: 'faults', stage: 'test', prompts: [{ kind: 'nps', followUp: false }], on: { event: 'faults' } }],
  });
})();
