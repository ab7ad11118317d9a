// A minimal single-page app: links change the route with history.pushState, no reload.
document.addEventListener('click', (e) => {
  const link = e.target.closest('a[data-route]');
  if (!link) return;
  e.preventDefault();
  history.pushState(null, '', link.href);
  document.getElementById('view').firstElementChild.textContent = link.textContent;
});
