import { createElement as h, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';

createRoot(document.getElementById('root')).render(h(StrictMode, null, h(App)));
