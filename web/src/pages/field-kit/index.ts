import type { ConsoleArea } from "../../area";
import "./tones.css";

/** No pages: the words the field areas share (t("field.…")), and 红黄绿 dark enough to read. */
export const area: ConsoleArea = { messages: { key: "field", load: () => import("./messages") } };
