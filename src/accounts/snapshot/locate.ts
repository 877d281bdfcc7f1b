import { findNodeAtLocation, type ParseError, parse, parseTree, printParseErrorCode } from 'jsonc-parser';

/** Finds where in a JSON text a field is, so that a problem can be reported as "line 57, sites[0].host". */

export type FieldPath = readonly (string | number)[];

export interface LocatedProblem {
  path: FieldPath;
  message: string;
}

export function formatPath(path: FieldPath): string {
  return path.reduce<string>(
    (out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${part}` : part),
    '',
  );
}

const lineAt = (text: string, offset: number) => text.slice(0, offset).split('\n').length;

/** Strict JSON parse; a syntax error throws with its line and column. */
export function parseJsonText(text: string): unknown {
  const errors: ParseError[] = [];
  const value = parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (first) {
    const line = lineAt(text, first.offset);
    const column = first.offset - text.lastIndexOf('\n', first.offset - 1);
    throw new SyntaxError(`line ${line}, column ${column}: ${printParseErrorCode(first.error)} (not valid JSON)`);
  }
  return value;
}

/** "line 57, portalCustomers[3].email: must be …" — the nearest existing node gives the line. */
export function describeProblems(text: string, problems: readonly LocatedProblem[]): string[] {
  const root = parseTree(text);
  return problems.map(({ path, message }) => {
    let node = root && findNodeAtLocation(root, [...path]);
    for (let depth = path.length - 1; !node && root && depth >= 0; depth--) {
      node = findNodeAtLocation(root, path.slice(0, depth) as (string | number)[]);
    }
    const where = formatPath(path) || '(top level)';
    return node ? `line ${lineAt(text, node.offset)}, ${where}: ${message}` : `${where}: ${message}`;
  });
}
