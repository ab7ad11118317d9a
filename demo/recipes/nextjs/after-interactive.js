// next/script's afterInteractive: the script element is added once the page can respond, with
// every prop but `strategy` as an attribute (README: src, data-endpoint, data-config).
addEventListener('load', () => {
  const script = document.createElement('script');
  script.src = '/moodpoint.min.js';
  script.setAttribute('data-endpoint', '/api/answers');
  script.setAttribute('data-config', '/recipes/moodpoint.json');
  document.body.appendChild(script);
});
