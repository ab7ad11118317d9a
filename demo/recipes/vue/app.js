// The Vue recipe: a plugin that starts the widget with the app, and a view that asks.
import { onMounted } from 'vue';
import { destroy, init, trigger } from 'moodpoint';

/** `app.use(moodpoint, config)`: starts the widget; unmounting the app removes it. */
export const moodpoint = {
  install(app, config) {
    void init(config);
    app.onUnmount(() => destroy());
  },
};

export const config = {
  endpoint: '/api/answers', // your collector, e.g. https://collector.example.com/api/answers
  localeUrl: '/locales/', // where you serve node_modules/moodpoint/dist/locales/
  brand: 'Acme',
  touchpoints: [{ id: 'checkout_complete', stage: 'purchase', prompts: ['nps'], on: { event: 'checkout_complete' } }],
};

/** The thank-you view asks as soon as it is on screen. */
export const OrderPlaced = {
  props: { order: { type: Object, required: true } },
  setup(props) {
    onMounted(() => trigger('checkout_complete', { orderId: props.order.id, orderValue: props.order.total }));
  },
  template: '<p>Thank you! Order #{{ order.id }} is on its way.</p>',
};

export const App = {
  components: { OrderPlaced },
  data: () => ({ order: null }),
  template: `
    <OrderPlaced v-if="order" :order="order" />
    <button v-else type="button" @click="order = { id: 7, total: 42 }">Place order</button>`,
};
