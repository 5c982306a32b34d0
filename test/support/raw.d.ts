// Vite's `?raw` imports (a file's text), which the workerd tests use where node:fs is not available.
declare module "*?raw" {
  const text: string;
  export default text;
}
