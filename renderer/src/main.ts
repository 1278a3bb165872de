// The renderer's entry: one Pinia, one Transport (picked by what the page runs in), one app.
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { useLabStore } from './stores/lab.ts';
import { pickTransport } from './transport/index.ts';
import './styles/theme.css';

const app = createApp(App);
app.use(createPinia());
app.mount('#app');
void useLabStore().connect(pickTransport());
