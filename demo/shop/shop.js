// Moodpoint Demo Shop: catalogue, cart (sessionStorage) and the two survey touchpoints.
// Everything is rendered with DOM APIs, the way a careful site would treat its own data.
(function () {
  'use strict';

  var PRODUCTS = [
    { id: 'mug', name: 'Stoneware mug', price: 14, blurb: 'Hand-glazed, 350 ml, happy in the dishwasher.' },
    { id: 'tote', name: 'Canvas tote', price: 22, blurb: 'Heavy cotton canvas with long handles and an inner pocket.' },
    { id: 'notebook', name: 'Dot-grid notebook', price: 9.5, blurb: 'A5, 160 pages of 100 g paper that takes fountain pens.' },
    { id: 'coffee', name: 'Pour-over coffee set', price: 39, blurb: 'Porcelain dripper and glass carafe for two cups.' },
    { id: 'beanie', name: 'Merino beanie', price: 25, blurb: 'Soft, warm and not itchy. One size fits most.' },
    { id: 'plant', name: 'Desk plant', price: 18, blurb: 'A hardy pothos in a terracotta pot. Forgives forgetting.' },
  ];
  var CART_KEY = 'moodpoint-demo:cart';
  var ORDER_KEY = 'moodpoint-demo:pending-order';
  var LAST_ORDER_KEY = 'moodpoint-demo:last-order';
  var money = new Intl.NumberFormat('en', { style: 'currency', currency: 'EUR' });

  // ---- tiny helpers -------------------------------------------------------------------------

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        var value = attrs[key];
        if (value === undefined || value === null || value === false) return;
        if (key === 'text') node.textContent = value;
        else if (key === 'class') node.className = value;
        else if (key === 'on')
          Object.keys(value).forEach(function (type) {
            node.addEventListener(type, value[type]);
          });
        else node.setAttribute(key, value === true ? '' : String(value));
      });
    }
    (children || []).forEach(function (child) {
      if (child !== null && child !== undefined) node.append(child);
    });
    return node;
  }

  function byId(id) {
    return document.getElementById(id);
  }

  function product(id) {
    return PRODUCTS.find(function (p) {
      return p.id === id;
    });
  }

  function imageOf(p) {
    return '/img/' + p.id + '.svg';
  }

  function readJson(key, fallback) {
    try {
      var raw = sessionStorage.getItem(key);
      return raw ? JSON.parse(raw) : fallback;
    } catch {
      return fallback;
    }
  }

  function writeJson(key, value) {
    try {
      if (value === null) sessionStorage.removeItem(key);
      else sessionStorage.setItem(key, JSON.stringify(value));
    } catch {
      /* private mode or full storage: the demo just forgets */
    }
  }

  /** The page's survey hook; the pre-load stub in <head> queues calls made before the widget loads. */
  function survey() {
    if (typeof window.moodpoint === 'function') window.moodpoint.apply(null, arguments);
  }

  // ---- cart -------------------------------------------------------------------------------

  function getCart() {
    var cart = readJson(CART_KEY, {});
    return cart && typeof cart === 'object' ? cart : {};
  }

  function setCart(cart) {
    writeJson(CART_KEY, cart);
    renderCartCount();
  }

  function addToCart(id, qty) {
    var cart = getCart();
    cart[id] = Math.max(0, (cart[id] || 0) + qty);
    if (cart[id] === 0) delete cart[id];
    setCart(cart);
  }

  function cartLines() {
    var cart = getCart();
    return Object.keys(cart)
      .map(function (id) {
        return { product: product(id), qty: cart[id] };
      })
      .filter(function (line) {
        return line.product && line.qty > 0;
      });
  }

  function cartTotal(lines) {
    return (
      Math.round(
        lines.reduce(function (sum, l) {
          return sum + l.product.price * l.qty;
        }, 0) * 100,
      ) / 100
    );
  }

  function renderCartCount() {
    var count = cartLines().reduce(function (n, l) {
      return n + l.qty;
    }, 0);
    document.querySelectorAll('[data-cart-count]').forEach(function (badge) {
      badge.textContent = String(count);
      badge.toggleAttribute('data-empty', count === 0);
      badge.setAttribute('aria-label', count + (count === 1 ? ' item' : ' items'));
    });
  }

  function summary(lines) {
    var shipping = lines.length ? 4.9 : 0;
    var rows = lines.map(function (l) {
      return el('div', { class: 'summary-row' }, [
        el('span', { text: l.qty + ' × ' + l.product.name }),
        el('span', { text: money.format(l.product.price * l.qty) }),
      ]);
    });
    rows.push(el('div', { class: 'summary-row' }, [el('span', { text: 'Shipping' }), el('span', { text: money.format(shipping) })]));
    rows.push(
      el('div', { class: 'summary-row total' }, [
        el('span', { text: 'Total' }),
        el('span', { text: money.format(cartTotal(lines) + shipping) }),
      ]),
    );
    return { nodes: rows, total: Math.round((cartTotal(lines) + shipping) * 100) / 100 };
  }

  function addButton(p, label) {
    return el('button', {
      class: 'button',
      type: 'button',
      text: label,
      on: {
        click: function (event) {
          addToCart(p.id, 1);
          var button = event.currentTarget;
          button.textContent = 'Added ✓';
          setTimeout(function () {
            button.textContent = label;
          }, 1200);
        },
      },
    });
  }

  // ---- pages ------------------------------------------------------------------------------

  function renderShop() {
    var list = byId('products');
    PRODUCTS.forEach(function (p) {
      var link = '/product.html?id=' + encodeURIComponent(p.id);
      list.append(
        el('li', { class: 'card' }, [
          el('a', { href: link, tabindex: '-1', 'aria-hidden': 'true' }, [
            el('img', { src: imageOf(p), alt: '', width: 160, height: 120 }),
          ]),
          el('div', { class: 'card-body' }, [
            el('h2', null, [el('a', { href: link, text: p.name })]),
            el('p', { text: p.blurb }),
            el('div', { class: 'card-foot' }, [el('span', { class: 'price', text: money.format(p.price) }), addButton(p, 'Add to cart')]),
          ]),
        ]),
      );
    });
  }

  function renderProduct() {
    var p = product(new URLSearchParams(location.search).get('id')) || PRODUCTS[0];
    document.title = p.name + ' · Moodpoint Demo Shop';
    byId('crumb').textContent = p.name;
    byId('product').append(
      el('article', { class: 'product' }, [
        el('img', { src: imageOf(p), alt: p.name, width: 160, height: 120 }),
        el('div', null, [
          el('h1', { text: p.name }),
          el('span', { class: 'price', text: money.format(p.price) }),
          el('p', { text: p.blurb }),
          el('p', { class: 'status', text: 'In stock. Ships in 1–2 working days. Free returns within 30 days.' }),
          el('div', { class: 'product-actions' }, [
            addButton(p, 'Add to cart'),
            el('a', { class: 'button secondary', href: '/cart.html', text: 'View cart' }),
          ]),
        ]),
      ]),
    );
  }

  function renderCart() {
    var linesBox = byId('cart-lines');
    var summaryBox = byId('cart-summary');
    var checkout = byId('to-checkout');
    var lines = cartLines();
    linesBox.replaceChildren();
    summaryBox.replaceChildren();
    if (!lines.length) {
      linesBox.append(el('p', { class: 'empty' }, ['Your cart is empty. ', el('a', { href: '/', text: 'Browse the shop' }), '.']));
      checkout.classList.add('secondary');
      checkout.setAttribute('href', '/');
      checkout.textContent = 'Continue shopping';
      summaryBox.append.apply(summaryBox, summary(lines).nodes);
      return;
    }
    var rows = lines.map(function (l) {
      function change(delta) {
        return function () {
          addToCart(l.product.id, delta);
          renderCart();
        };
      }
      return el('tr', null, [
        el('td', null, [
          el('img', { src: imageOf(l.product), alt: '' }),
          el('a', { href: '/product.html?id=' + l.product.id, text: l.product.name }),
        ]),
        el('td', null, [
          el('span', { class: 'qty' }, [
            el('button', { type: 'button', 'aria-label': 'One less ' + l.product.name, text: '−', on: { click: change(-1) } }),
            el('span', { text: String(l.qty) }),
            el('button', { type: 'button', 'aria-label': 'One more ' + l.product.name, text: '+', on: { click: change(1) } }),
          ]),
        ]),
        el('td', { class: 'num', text: money.format(l.product.price * l.qty) }),
        el('td', { class: 'num' }, [el('button', { type: 'button', class: 'link-button', text: 'Remove', on: { click: change(-l.qty) } })]),
      ]);
    });
    linesBox.append(
      el('table', { class: 'lines' }, [
        el('thead', null, [
          el('tr', null, [
            el('th', { scope: 'col', text: 'Product' }),
            el('th', { scope: 'col', text: 'Quantity' }),
            el('th', { scope: 'col', class: 'num', text: 'Price' }),
            el('th', { scope: 'col', class: 'num' }, [el('span', { class: 'sr-only', text: 'Actions' })]),
          ]),
        ]),
        el('tbody', null, rows),
      ]),
    );
    summaryBox.append.apply(summaryBox, summary(lines).nodes);
  }

  function renderCheckout() {
    var lines = cartLines();
    var box = byId('checkout-summary');
    var button = byId('place-order');
    var s = summary(lines);
    if (!lines.length) {
      box.append(el('p', { class: 'empty' }, ['Your cart is empty. ', el('a', { href: '/', text: 'Add something first' }), '.']));
      button.disabled = true;
      return;
    }
    box.append.apply(box, s.nodes);
    byId('checkout-form').addEventListener('submit', function (event) {
      event.preventDefault();
      var order = {
        orderId: 10000 + Math.floor(Math.random() * 90000),
        orderValue: s.total,
        items: lines.map(function (l) {
          return { id: l.product.id, qty: l.qty };
        }),
      };
      writeJson(ORDER_KEY, order);
      setCart({});
      location.assign('/thanks.html');
    });
  }

  function renderThanks() {
    var status = byId('survey-status');
    var order = readJson(ORDER_KEY, null);
    var fresh = !!order;
    if (!order) order = readJson(LAST_ORDER_KEY, null);
    if (!order) {
      // Opened directly: make up an order so the touchpoint can be tried without shopping.
      order = { orderId: 10000 + Math.floor(Math.random() * 90000), orderValue: 42, items: [] };
      fresh = true;
    }
    writeJson(ORDER_KEY, null);
    writeJson(LAST_ORDER_KEY, order);
    byId('order-id').textContent = '#' + order.orderId;
    byId('order-total').textContent = money.format(order.orderValue);
    if (fresh) {
      // One checkout, one trigger: a reload of this page is not a second purchase.
      survey('trigger', 'checkout_complete', { orderId: order.orderId, orderValue: order.orderValue });
      status.textContent = 'Touchpoint "checkout_complete" triggered for order #' + order.orderId + '.';
    } else {
      status.textContent = 'This order was already surveyed; place a new order to trigger the survey again.';
    }
  }

  function renderSupport() {
    var list = byId('messages');
    var form = byId('composer');
    var input = byId('chat-input');
    var close = byId('close-chat');
    var status = byId('chat-status');
    var replies = [
      'Thanks! Let me check that for you.',
      'All sorted: you will get an email confirmation in a minute.',
      'Anything else I can help with?',
    ];
    var replyIndex = 0;
    var closed = false;

    function say(who, text) {
      var me = who === 'You';
      list.append(el('li', { class: 'message' + (me ? ' me' : '') }, [el('span', { class: 'who', text: who }), text]));
      list.scrollTop = list.scrollHeight;
    }

    function setClosed(value) {
      closed = value;
      input.disabled = value;
      form.querySelector('button').disabled = value;
      close.textContent = value ? 'Start a new chat' : 'Close chat';
      close.classList.toggle('danger', !value);
      status.textContent = value ? 'Chat closed. Thanks for contacting us!' : 'Sam is online.';
    }

    say('Sam', 'Hi, I am Sam from Moodpoint Demo Shop. How can I help today?');
    say('You', 'Hi! Can I change the delivery address of my order?');
    say('Sam', 'Of course. I have updated it; the parcel will go to the new address.');

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var text = input.value.trim();
      if (!text || closed) return;
      say('You', text);
      input.value = '';
      var reply = replies[replyIndex++ % replies.length];
      setTimeout(function () {
        if (!closed) say('Sam', reply);
      }, 600);
    });

    close.addEventListener('click', function () {
      if (closed) {
        list.replaceChildren();
        say('Sam', 'Hi again! What can I do for you?');
        setClosed(false);
        return;
      }
      setClosed(true);
      survey('trigger', 'support_closed');
    });
  }

  // ---- start ------------------------------------------------------------------------------

  var PAGES = {
    shop: renderShop,
    product: renderProduct,
    cart: renderCart,
    checkout: renderCheckout,
    thanks: renderThanks,
    support: renderSupport,
  };
  var NAV = { shop: 'shop', product: 'shop', cart: 'cart', checkout: 'cart', support: 'support' };

  var page = document.body.dataset.page;
  var current = document.querySelector('[data-nav="' + NAV[page] + '"]');
  if (current) current.setAttribute('aria-current', 'page');
  renderCartCount();
  if (PAGES[page]) PAGES[page]();
})();
