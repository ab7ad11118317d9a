import { createApp } from 'vue';
import { App, config, moodpoint } from './app.js';

createApp(App).use(moodpoint, config).mount('#app');
