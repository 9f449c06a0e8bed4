// Camunda-style expressions (`${approved}`, `${outcome == 'approve'}`,
// `${document.urgency >= 3 && amount > 1000}`) evaluated by Jexl: a real expression language
// with its own parser and interpreter — no eval, no node:vm, no method calls on objects.
import { Jexl } from 'jexl';

const jexl = new Jexl();
jexl.addFunction('now', () => new Date().toISOString());
jexl.addFunction('size', (value: unknown) => (Array.isArray(value) || typeof value === 'string' ? value.length : 0));
jexl.addFunction('empty', (value: unknown) => value == null || value === '' || (Array.isArray(value) && value.length === 0));

const WHOLE = /^\s*\$\{([\s\S]*)\}\s*$/;

/** The `${…}` parts of a text, with balanced braces and quoted strings respected. */
export function expressionsIn(text: string): string[] {
  const found: string[] = [];
  for (let i = text.indexOf('${'); i !== -1; i = text.indexOf('${', i + 1)) {
    let depth = 0;
    let quote: string | null = null;
    for (let j = i + 2; j < text.length; j++) {
      const c = text[j];
      if (quote) {
        if (c === quote && text[j - 1] !== '\\') quote = null;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '{') depth++;
      else if (c === '}') {
        if (depth === 0) {
          found.push(text.slice(i + 2, j));
          i = j;
          break;
        }
        depth--;
      }
    }
  }
  return found;
}

export const isExpression = (text: unknown): boolean => typeof text === 'string' && WHOLE.test(text) && expressionsIn(text).length === 1;
export const hasExpression = (text: unknown): boolean => typeof text === 'string' && expressionsIn(text).length > 0;

/** Throws with the parser's message when an expression does not parse. */
export function checkExpression(expression: string): void {
  if (!expression.trim()) throw new Error('the expression is empty');
  jexl.compile(expression);
}

export function evaluate(expression: string, scope: Record<string, unknown>): unknown {
  return jexl.evalSync(expression, scope);
}

/** A whole `${expr}` gives the value itself; text with expressions inside gives text. */
export function resolveTemplate(template: unknown, scope: Record<string, unknown>): unknown {
  if (typeof template !== 'string') return template;
  const parts = expressionsIn(template);
  if (!parts.length) return template;
  if (parts.length === 1 && WHOLE.test(template) && template.trim() === `\${${parts[0]}}`) return evaluate(parts[0], scope);
  let out = template;
  for (const part of parts) {
    const value = evaluate(part, scope);
    out = out.replace(`\${${part}}`, value == null ? '' : String(value));
  }
  return out;
}

/** The scope an expression sees: process variables by name (Camunda style), plus the engine's
 * `environment` and the message `content` that bpmn-elements' own expressions refer to. */
export function scopeOf(context: { environment?: { variables?: Record<string, unknown> }; content?: Record<string, unknown> } | undefined): Record<string, unknown> {
  const variables = context?.environment?.variables ?? {};
  return { ...variables, ...(context?.content ?? {}), variables, environment: context?.environment, content: context?.content };
}

/** The expressions handler given to bpmn-engine. */
export const engineExpressions = {
  resolveExpression(template: string, context: Parameters<typeof scopeOf>[0]) {
    return resolveTemplate(template, scopeOf(context));
  },
  isExpression,
  hasExpression,
};
