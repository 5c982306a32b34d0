import type { ConsoleArea } from "./area";

/** Every pages/<area>/index.ts, found at build time: the shell lists no area by name. */
const modules = import.meta.glob<{ area: ConsoleArea }>("./pages/*/index.ts", { eager: true });

export const areas: ConsoleArea[] = Object.values(modules).map((m) => m.area);
