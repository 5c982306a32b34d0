import { say } from "./say";

/**
 * Copies a secret shown once (a token, a feed link) and says so. Where the browser refuses (a page
 * not on https, a denied permission) the text stays on the page and the person is asked to copy it by hand.
 */
export async function copyShown(text: string, words: { copied: string; byHand: string }) {
  try {
    await navigator.clipboard.writeText(text);
    say(words.copied, "success");
  } catch {
    say(words.byHand);
  }
}
