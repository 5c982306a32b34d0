/** What a behaviour test talks to: the app in-process on Node, or the Worker inside workerd. */
export interface Target {
  runtime: "node" | "workerd";
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** Node only: the whole site as `npm start` serves it, the console's files (public/, built) beside the API. */
  site?(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}
