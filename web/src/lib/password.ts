type Checker = (password: string, userInputs: string[]) => number;
let checker: Promise<Checker> | null = null;

/**
 * How guessable a password is, 0–4 (zxcvbn-ts with its common-password dictionary). The dictionary
 * is large, so it loads on first use, on the pages that set a password only.
 */
export async function passwordScore(password: string, userInputs: string[] = []): Promise<number> {
  checker ??= Promise.all([import("@zxcvbn-ts/core"), import("@zxcvbn-ts/language-common")]).then(([core, common]) => {
    const factory = new core.ZxcvbnFactory({ dictionary: common.dictionary, graphs: common.adjacencyGraphs });
    return (p, inputs) => factory.check(p, inputs).score;
  });
  return (await checker)(password, userInputs.filter(Boolean));
}
