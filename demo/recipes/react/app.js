// The React recipe without JSX, so this page runs without a build step; README shows it in JSX.
import { createElement as h, useEffect, useState } from 'react';
import { destroy, init, trigger } from 'moodpoint';

export const config = {
  endpoint: '/api/answers', // your collector, e.g. https://collector.example.com/api/answers
  localeUrl: '/locales/', // where you serve node_modules/moodpoint/dist/locales/
  brand: 'Acme',
  touchpoints: [{ id: 'checkout_complete', stage: 'purchase', prompts: ['nps'], on: { event: 'checkout_complete' } }],
};

/** The thank-you view asks, once per order, as soon as it is on screen. */
export function OrderPlaced({ order }) {
  useEffect(() => {
    void trigger('checkout_complete', { orderId: order.id, orderValue: order.total });
  }, [order.id]);
  return h('p', null, `Thank you! Order #${order.id} is on its way.`);
}

/** Starts the widget with the app; destroy removes its listeners, timers and nodes when the app goes. */
export function App() {
  const [order, setOrder] = useState(null);
  useEffect(() => {
    void init(config);
    return () => destroy();
  }, []);
  return order ? h(OrderPlaced, { order }) : h('button', { type: 'button', onClick: () => setOrder({ id: 7, total: 42 }) }, 'Place order');
}
