import { createApp } from 'vue';
import App from './App.vue';
import './theme.css';
import './forms.css';

createApp(App).mount('#app');
