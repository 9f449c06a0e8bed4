// Camunda-style expressions (`${approved}`, `${outcome == 'approve'}`,
// `${document.urgency >= 3 && amount > 1000}`) evaluated by Jexl: a real expression language
// with its own parser and interpreter — no eval, no node:vm.
//
// What an expression may contain is decided here, once, for deploy and run time alike: literals,
// operators, variables and member access on them, filters over arrays, and the functions
// registered below. Method calls, computed keys and names that lead out of the data (`constructor`,
// `__proto__`, `process`, …) are refused, so a deployed diagram can only read its own variables.
import { Jexl } from 'jexl';
import type Ast from 'jexl/Ast';
import { LRUCache } from 'lru-cache';

const jexl = new Jexl();
/** JUEL's `empty`: null, "", an empty list or an empty map. */
const isEmpty = (value: unknown) =>
  value == null || value === '' || (Array.isArray(value) && value.length === 0) || (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype && Object.keys(value as object).length === 0);
jexl.addFunction('now', () => new Date().toISOString());
jexl.addFunction('size', (value: unknown) => (Array.isArray(value) || typeof value === 'string' ? value.length : 0));
jexl.addFunction('empty', isEmpty);

// Camunda's expressions are JUEL. Its word operators are made part of Jexl's grammar, here and only
// here, so the lexer (which knows string literals: 'not approved' stays text) reads them as
// operators: `${not approved}`, `${a gt 3 and b le 2}`, `${empty list}`, `${x div 2}`, `${x mod 2}`.
// Precedence follows JUEL (and Java): `and` binds tighter than `or`, and `* / %` are one level.
// Jexl gives `&&` and `||` one level and `%` its own, so `a || b && c` read as `(a || b) && c`.
type GrammarElement = { precedence: number; eval?: (...args: unknown[]) => unknown; evalOnDemand?: (...args: unknown[]) => unknown };
const grammarElements = (jexl._grammar as unknown as { elements: Record<string, GrammarElement> }).elements;
const binary = (op: string, like: string, precedence = grammarElements[like].precedence) => {
  const e = grammarElements[like];
  // The fourth argument (evaluate the operands on demand: `and`/`or` short-circuit) is missing from the typings.
  (jexl.addBinaryOp as (...args: unknown[]) => void).call(jexl, op, precedence, e.evalOnDemand ?? e.eval, Boolean(e.evalOnDemand));
};
binary('||', '||', 5);
binary('%', '%', grammarElements['*'].precedence);
for (const [op, like] of [['and', '&&'], ['or', '||'], ['eq', '=='], ['ne', '!='], ['lt', '<'], ['gt', '>'], ['le', '<='], ['ge', '>='], ['div', '/'], ['mod', '%']]) binary(op, like);
jexl.addUnaryOp('not', (right: unknown) => !right);
jexl.addUnaryOp('empty', isEmpty);
// addUnaryOp sets a `weight` the parser never reads: without the precedence `!` has, `not a and b`
// would read as `not (a and b)`.
for (const op of ['not', 'empty']) grammarElements[op].precedence = grammarElements['!'].precedence;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Lexer = require('jexl/dist/Lexer') as new (grammar: unknown) => { tokenize(text: string): Array<{ type?: string; value: unknown; raw: string }> };

// JUEL's deferred `#{…}` is read like `${…}`: Camunda evaluates both the same way.
const WHOLE = /^\s*[$#]\{([\s\S]*)\}\s*$/;

/** Where the `${…}` and `#{…}` parts of a text are, with balanced braces and quoted strings respected. */
function expressionSpans(text: string): Array<{ start: number; end: number; expression: string }> {
  const found: Array<{ start: number; end: number; expression: string }> = [];
  const open = /[$#]\{/g;
  for (let m = open.exec(text); m; m = open.exec(text)) {
    const i = m.index;
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
          found.push({ start: i, end: j + 1, expression: text.slice(i + 2, j) });
          open.lastIndex = j + 1;
          break;
        }
        depth--;
      }
    }
  }
  return found;
}

/** The `${…}` (and `#{…}`) parts of a text, with balanced braces and quoted strings respected. */
export function expressionsIn(text: string): string[] {
  return expressionSpans(text).map((s) => s.expression);
}

export const isExpression = (text: unknown): boolean => typeof text === 'string' && WHOLE.test(text) && expressionsIn(text).length === 1;
export const hasExpression = (text: unknown): boolean => typeof text === 'string' && expressionsIn(text).length > 0;

/** Why an expression is refused: it does not parse, or it uses something expressions may not. */
export class ExpressionError extends Error {
  constructor(
    readonly kind: 'syntax' | 'forbidden',
    message: string,
  ) {
    super(message);
  }
}

// Every name an object inherits (constructor, __proto__, toString, hasOwnProperty, …) reaches the
// machinery behind the data, and the runtime's globals are none of a process's business.
const FORBIDDEN_NAMES = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  'prototype', 'process', 'mainModule', 'require', 'module', 'exports', 'global', 'globalThis', 'window', 'self',
  'Function', 'eval', 'import', 'arguments', 'caller', 'callee', 'Reflect', 'Proxy', '__dirname', '__filename',
]);

const forbiddenName = (name: unknown): boolean => typeof name === 'string' && (FORBIDDEN_NAMES.has(name) || name.startsWith('__'));

const registered = (pool: 'functions' | 'transforms') => Object.keys((jexl._grammar as unknown as Record<string, Record<string, unknown> | undefined>)[pool] ?? {});

function checkNode(node: Ast | undefined): void {
  if (!node) return;
  switch (node.type) {
    case 'Literal':
      return;
    case 'Identifier':
      if (forbiddenName(node.value)) throw new ExpressionError('forbidden', `"${node.value}" is not a variable an expression may read.`);
      return checkNode(node.from);
    case 'FilterExpression':
      checkNode(node.subject);
      // `list[.field == 1]` filters an array (its names are checked like any other); `a['key']`
      // and `a[0]` read one member. A computed key (`a[b]`) could name anything at run time.
      if (node.relative) return checkNode(node.expr);
      if (node.expr.type !== 'Literal') throw new ExpressionError('forbidden', 'a member can only be named by a literal (a.b, a[\'b\'] or a[0]), not computed.');
      if (forbiddenName(node.expr.value)) throw new ExpressionError('forbidden', `"${String(node.expr.value)}" is not a variable an expression may read.`);
      return;
    case 'BinaryExpression':
      checkNode(node.left);
      return checkNode(node.right);
    case 'UnaryExpression':
      return checkNode(node.right);
    case 'ConditionalExpression':
      checkNode(node.test);
      checkNode(node.consequent);
      return checkNode(node.alternate);
    case 'ArrayLiteral':
      return node.value.forEach(checkNode);
    case 'ObjectLiteral':
      for (const [key, value] of Object.entries(node.value)) {
        if (forbiddenName(key)) throw new ExpressionError('forbidden', `"${key}" cannot be a key.`);
        checkNode(value);
      }
      return;
    case 'FunctionCall': {
      const known = registered(node.pool);
      if (!known.includes(node.name)) {
        throw new ExpressionError('forbidden', `${node.name}() is not a function expressions know${known.length ? ` (${known.map((n) => `${n}()`).join(', ')})` : ''}.`);
      }
      return node.args.forEach(checkNode);
    }
    default:
      throw new ExpressionError('forbidden', `${(node as { type: string }).type} is not allowed in an expression.`);
  }
}

/**
 * Compiles an expression after checking what it may do; throws an ExpressionError otherwise.
 * Nothing is evaluated.
 */
export function compileExpression(expression: string) {
  if (!expression.trim()) throw new ExpressionError('syntax', 'the expression is empty');
  let tokens: ReturnType<InstanceType<typeof Lexer>['tokenize']> = [];
  let compiled: ReturnType<typeof jexl.compile>;
  try {
    tokens = new Lexer(jexl._grammar).tokenize(expression);
    compiled = jexl.compile(expression);
  } catch (err) {
    // The parser trips over `constructor` and other inherited names (its grammar is a plain
    // object): say what is wrong rather than "unexpected token".
    const name = tokens.find((t) => t.type !== 'literal' && forbiddenName(t.raw.trim()));
    if (name) throw new ExpressionError('forbidden', `"${name.raw.trim()}" is not a variable an expression may read.`);
    throw new ExpressionError('syntax', (err as Error).message);
  }
  // Jexl parses `a.b(…)` as a call of the function `b` and drops `a.`: look at the tokens.
  for (let i = 1; i + 1 < tokens.length; i++) {
    if (tokens[i].type === 'identifier' && tokens[i - 1].type === 'dot' && tokens[i + 1].type === 'openParen') {
      throw new ExpressionError('forbidden', `method calls (.${tokens[i].raw.trim()}(…)) are not allowed; expressions read variables and call only ${registered('functions').map((n) => `${n}()`).join(', ')}.`);
    }
  }
  checkNode(compiled._getAst());
  return compiled;
}

/** Throws an ExpressionError when an expression does not parse or is not allowed. */
export function checkExpression(expression: string): void {
  compileExpression(expression);
}

// Expressions come from deployed versions, so there are few of them: each is checked and compiled once.
const compiledCache = new LRUCache<string, ReturnType<typeof compileExpression>>({ max: 2000 });

export function evaluate(expression: string, scope: Record<string, unknown>): unknown {
  let compiled = compiledCache.get(expression);
  if (!compiled) compiledCache.set(expression, (compiled = compileExpression(expression)));
  return compiled.evalSync(scope);
}

/** A whole `${expr}` gives the value itself; text with expressions inside gives text. */
export function resolveTemplate(template: unknown, scope: Record<string, unknown>): unknown {
  if (typeof template !== 'string') return template;
  const spans = expressionSpans(template);
  if (!spans.length) return template;
  if (spans.length === 1 && WHOLE.test(template) && template.trim().length === spans[0].end - spans[0].start) return evaluate(spans[0].expression, scope);
  let out = '';
  let at = 0;
  for (const span of spans) {
    const value = evaluate(span.expression, scope);
    out += template.slice(at, span.start) + (value == null ? '' : String(value));
    at = span.end;
  }
  return out + template.slice(at);
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
