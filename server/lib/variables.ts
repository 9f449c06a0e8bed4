// Process variables arrive from people (start, messages, corrections, task forms) and live on in the
// instance's state, its history and every later command: one schema, with bounds, for all of them.
import { z } from './openapi';

/** Deeper than any form or correction needs; engine state is cloned and serialised recursively. */
export const MAX_VARIABLE_DEPTH = 16;
/** Serialised (UTF-8) size of the variables in one request. */
export const MAX_VARIABLE_BYTES = 256 * 1024;

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Nesting depth of a JSON value, counted without recursion and given up once past `limit`. */
export function depthOf(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (d > deepest) deepest = d;
    if (deepest > limit) return deepest;
    if (v && typeof v === 'object') for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return deepest;
}

/** What is wrong with a set of variables beyond their names, if anything. */
export function variablesProblem(variables: Record<string, unknown>): string | undefined {
  if (depthOf(variables, MAX_VARIABLE_DEPTH) > MAX_VARIABLE_DEPTH) return `Variables may be nested at most ${MAX_VARIABLE_DEPTH} levels deep.`;
  const bytes = Buffer.byteLength(JSON.stringify(variables) ?? '');
  if (bytes > MAX_VARIABLE_BYTES) return `Variables may take at most ${MAX_VARIABLE_BYTES / 1024} KB (these take ${Math.ceil(bytes / 1024)} KB).`;
  return undefined;
}

/** The schema of process variables in a request body. Too deep or too large answers 413 (see route.ts). */
export const ProcessVariables = z
  .record(z.string().regex(NAME, 'Variable names start with a letter; letters, digits and _ only.'), z.unknown())
  .superRefine((variables, ctx) => {
    const problem = variablesProblem(variables);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, params: { status: 413 } });
  })
  .openapi({ description: `Process variables by name; at most ${MAX_VARIABLE_DEPTH} levels deep and ${MAX_VARIABLE_BYTES / 1024} KB.` });
