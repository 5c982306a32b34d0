import { sendOrQueue } from "../../offline/queue";
import { failureText, say } from "../../lib/say";

/**
 * A write from a field page: sent now with its Idempotency-Key, or kept on the phone and sent when
 * the signal returns (a road chief on site). Says which happened; an API refusal is shown and thrown.
 */
export async function fieldWrite(
  t: (key: string) => string,
  write: { label: string; scope: string; method?: "POST" | "PUT" | "PATCH"; path: string; json: Record<string, unknown>; photos?: { blob: Blob; name: string }[]; photoField?: string },
): Promise<{ sent: true; body: unknown } | { sent: false }> {
  try {
    const result = await sendOrQueue({
      label: write.label,
      scope: write.scope,
      method: write.method ?? "POST",
      path: write.path,
      json: write.json,
      ...(write.photos?.length ? { files: { field: write.photoField ?? "fileIds", blobs: write.photos } } : {}),
    });
    // Sent: the page shows the result itself. Queued: say so, it is not visible otherwise.
    if (!result.sent) say(t("field.queued"), "info", 3000);
    return result;
  } catch (error) {
    say(failureText(error, t), "fail");
    throw error;
  }
}
