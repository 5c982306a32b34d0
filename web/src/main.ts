import { createApp } from "vue";
// Function components are called, not rendered from templates, so the on-demand resolver misses their styles.
import "vant/es/dialog/style";
import "./styles.css";
import App from "./App.vue";
import { areas } from "./areas";
import { addMessages, applyLocale, i18n } from "./i18n";
import { router } from "./router";
import { startOfflineQueue } from "./offline/queue";
import { registerServiceWorker } from "./lib/service-worker";

for (const area of areas) if (area.messages) addMessages(area.messages.key, area.messages);
applyLocale();

createApp(App).use(i18n).use(router).mount("#app");
startOfflineQueue();
registerServiceWorker();
