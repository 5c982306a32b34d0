import { ref } from "vue";
import { ApiProblem } from "../../api";
import { failureText, say } from "../../lib/say";

/**
 * An auth page's submit: `busy` while it runs; a refusal of the password shows on the password
 * field (`passwordError`), any other failure is said. `onProblem` may take a problem first (true: handled).
 */
export function useSubmit(t: (key: string) => string) {
  const busy = ref(false);
  const passwordError = ref<string>();
  async function run(work: () => Promise<void>, onProblem?: (problem: ApiProblem) => boolean) {
    busy.value = true;
    passwordError.value = undefined;
    try {
      await work();
    } catch (error) {
      if (error instanceof ApiProblem && onProblem?.(error)) return;
      passwordError.value = error instanceof ApiProblem ? error.fieldError("password") : undefined;
      if (!passwordError.value) say(failureText(error, t), "fail");
    } finally {
      busy.value = false;
    }
  }
  return { busy, passwordError, run };
}
