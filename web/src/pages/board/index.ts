import { consolePaths } from "../../../../src/http/console-links";
import type { ConsoleArea } from "../../area";

/** 承诺公示: a bureau's public board (no login), one pledge on it, and a QR poster to print. */
export const area: ConsoleArea = {
  bareRoutes: [
    { path: consolePaths.board, component: () => import("./BoardPage.vue"), meta: { public: true, title: "board.title" } },
    { path: `${consolePaths.board}/poster`, component: () => import("./PosterPage.vue"), meta: { public: true, title: "board.poster" } },
    { path: consolePaths.boardPledge, component: () => import("./BoardPledgePage.vue"), meta: { public: true, title: "board.title" } },
  ],
  messages: { key: "board", load: () => import("./messages") },
};
