/**
 * JSON.parse that also says on which line each object began, so a refused calendar file can name the
 * line of the entry at fault (JSON.parse itself reports none, and only an offset for syntax errors).
 */
export class JsonSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

export function parseJsonWithLines(text: string): { value: unknown; lineOf: (node: object) => number | undefined } {
  const lines = new WeakMap<object, number>();
  let i = 0;
  let line = 1;
  const fail = (message: string): never => {
    throw new JsonSyntaxError(line, message);
  };
  const space = () => {
    for (; i < text.length; i++) {
      const ch = text[i];
      if (ch === "\n") line++;
      else if (ch !== " " && ch !== "\t" && ch !== "\r") break;
    }
  };
  const expect = (ch: string) => {
    if (text[i] !== ch) fail(`expected "${ch}" but found ${text[i] === undefined ? "the end of the file" : `"${text[i]}"`}`);
    i++;
  };
  const string = (): string => {
    const start = i;
    expect('"');
    for (; i < text.length && text[i] !== '"'; i++) {
      if (text[i] === "\\") i++;
      else if (text[i] === "\n") fail("a line break inside a string");
    }
    expect('"');
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return fail("a malformed string");
    }
  };
  const value = (): unknown => {
    space();
    const ch = text[i];
    if (ch === "{") {
      const node: Record<string, unknown> = {};
      lines.set(node, line);
      i++;
      space();
      if (text[i] === "}") return i++, node;
      for (;;) {
        space();
        const key = string();
        space();
        expect(":");
        node[key] = value();
        space();
        if (text[i] === ",") i++;
        else return expect("}"), node;
      }
    }
    if (ch === "[") {
      const node: unknown[] = [];
      lines.set(node, line);
      i++;
      space();
      if (text[i] === "]") return i++, node;
      for (;;) {
        node.push(value());
        space();
        if (text[i] === ",") i++;
        else return expect("]"), node;
      }
    }
    if (ch === '"') return string();
    const literal = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 40));
    if (!literal) return fail(ch === undefined ? "the file ends too early" : `unexpected "${ch}"`);
    i += literal[0].length;
    return JSON.parse(literal[0]);
  };
  const result = value();
  space();
  if (i < text.length) fail("more text after the JSON value");
  return { value: result, lineOf: (node) => lines.get(node) };
}
