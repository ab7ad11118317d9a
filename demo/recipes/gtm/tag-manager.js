// A stand-in for Google Tag Manager: a Custom HTML tag's scripts are copied into new script
// elements (inert ones from a template would not run), on All Pages and on a Custom Event.
function fire(id) {
  for (const inert of document.getElementById(id).content.querySelectorAll('script')) {
    const script = document.createElement('script');
    script.text = inert.text;
    document.body.appendChild(script);
  }
}

fire('tag-all-pages');
document.getElementById('place-order').addEventListener('click', () => fire('tag-purchase'));
