import type { zhCN } from "./zh-CN";

export const en: typeof zhCN = {
  app: { name: "Qingdan", offline: "You are offline", backOnline: "Back online" },
  tabs: { tasks: "To do", review: "Review", me: "Me" },
  offline: { waiting: "{n} waiting for the network; sent when back online" },
  common: {
    save: "Save",
    submit: "Submit",
    cancel: "Cancel",
    confirm: "OK",
    back: "Back",
    loading: "Loading…",
    empty: "Nothing here",
    retry: "Retry",
    failed: "Something went wrong",
    saved: "Saved",
    more: "More",
    noMore: "No more",
    pullToRefresh: "Pull to refresh",
    forbidden: "You may not open this page",
    notFound: "Page not found",
    photo: "Photo {n}",
    removePhoto: "Remove photo {n}",
    waiting: "Waiting for network",
    home: "Home",
  },
};
