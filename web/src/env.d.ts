/// <reference types="vite/client" />

/** The refresh web/src/boot.ts sent before the shell loaded: its status and body, or null when it could not be sent. */
type BootRefresh = { status: number; body: string } | null;
interface Window {
  qdBootRefresh?: Promise<BootRefresh>;
}
