import { ref } from "vue";

/** Whether the browser believes it has a network; pages and the offline queue watch it. */
export const online = ref(typeof navigator === "undefined" ? true : navigator.onLine);
if (typeof window !== "undefined") {
  window.addEventListener("online", () => (online.value = true));
  window.addEventListener("offline", () => (online.value = false));
}
