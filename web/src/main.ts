import { createApp } from "vue";
// Function components are called, not rendered from templates, so the on-demand resolver misses their styles.
import "vant/es/dialog/style";
import "./styles.css";
import App from "./App.vue";
import { areas } from "./areas";
import { applyLocale, i18n, registerMessages } from "./i18n";
import { router } from "./router";
import { startOfflineQueue } from "./offline/queue";
import { registerServiceWorker } from "./lib/service-worker";
import { restoreSession } from "./session";

// First: the refresh round trip runs while the app mounts and the first page's code arrives.
void restoreSession();
// Vant's icon font (25 KB) would be asked for when the first icon renders, at the same moment as
// the page's data, and share slow-4G bandwidth with it: fetch it now, while the line is idle.
void document.fonts?.load("1em vant-icon").catch(() => undefined);
for (const area of areas) if (area.messages) registerMessages(area.messages);
applyLocale();

createApp(App).use(i18n).use(router).mount("#app");
startOfflineQueue();
registerServiceWorker();
