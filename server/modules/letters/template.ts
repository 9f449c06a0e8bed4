// The letter templates' language: a small subset of Mustache, so a template stays an HTML file a
// newcomer (or an organisation's administrator) can read and change without learning a library.
//   {{name}}            the value, HTML-escaped (every field of a letter goes in this way)
//   {{#name}}…{{/name}} the block when the value is set; once per item for a list ({{.}} is the item)
//   {{^name}}…{{/name}} the block when the value is empty or missing
//   {{> name}}          another template (a partial), e.g. {{> signature}}
// There is no unescaped output: what a letter's author typed can never become markup.
export type View = { [key: string]: unknown };

const TAG = /\{\{\s*([#^/>]?)\s*([\w.]+)\s*\}\}/g;

type Node = string | { kind: 'var'; name: string } | { kind: 'partial'; name: string } | { kind: 'section'; name: string; inverted: boolean; children: Node[] };

export class TemplateError extends Error {}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]);

/** Parses a template; unbalanced or mismatched sections are a TemplateError naming the tag. */
export function parseTemplate(source: string): Node[] {
  const root: Node[] = [];
  const stack: Array<{ name: string; children: Node[] }> = [{ name: '', children: root }];
  let last = 0;
  for (const m of source.matchAll(TAG)) {
    const top = stack[stack.length - 1];
    if (m.index > last) top.children.push(source.slice(last, m.index));
    last = m.index + m[0].length;
    const [, sigil, name] = m;
    if (sigil === '#' || sigil === '^') {
      const section = { kind: 'section' as const, name, inverted: sigil === '^', children: [] as Node[] };
      top.children.push(section);
      stack.push(section);
    } else if (sigil === '/') {
      if (stack.length === 1 || top.name !== name) throw new TemplateError(`{{/${name}}} closes ${stack.length === 1 ? 'nothing' : `{{#${top.name}}}`}`);
      stack.pop();
    } else if (sigil === '>') top.children.push({ kind: 'partial', name });
    else top.children.push({ kind: 'var', name });
  }
  if (stack.length > 1) throw new TemplateError(`{{#${stack[stack.length - 1].name}}} is never closed`);
  if (last < source.length) root.push(source.slice(last));
  return root;
}

function lookup(contexts: unknown[], name: string): unknown {
  if (name === '.') return contexts[contexts.length - 1];
  const [head, ...rest] = name.split('.');
  for (let i = contexts.length - 1; i >= 0; i--) {
    const ctx = contexts[i];
    if (ctx && typeof ctx === 'object' && Object.prototype.hasOwnProperty.call(ctx, head)) {
      return rest.reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as View)[key] : undefined), (ctx as View)[head]);
    }
  }
  return undefined;
}

const isEmpty = (v: unknown) => v === undefined || v === null || v === false || v === '' || (Array.isArray(v) && v.length === 0);

/**
 * Fills a template. `partials` names the other templates it may include: at most 8 deep and 256
 * inclusions in all, so a template that includes itself (an administrator's mistake) is an error,
 * not a render that never ends.
 */
export function renderTemplate(nodes: Node[], view: View, partials: (name: string) => Node[] | undefined): string {
  return fill(nodes, view, partials, [view], 0, { includes: 0 });
}

function fill(nodes: Node[], view: View, partials: (name: string) => Node[] | undefined, contexts: unknown[], depth: number, budget: { includes: number }): string {
  let out = '';
  for (const node of nodes) {
    if (typeof node === 'string') out += node;
    else if (node.kind === 'var') {
      const v = lookup(contexts, node.name);
      if (!isEmpty(v)) out += escapeHtml(String(v));
    } else if (node.kind === 'partial') {
      const partial = partials(node.name);
      if (!partial) throw new TemplateError(`no template "${node.name}" for {{> ${node.name}}}`);
      if (depth >= 8 || ++budget.includes > 256) throw new TemplateError(`{{> ${node.name}}} includes templates too deep or too often (does a template include itself?)`);
      out += fill(partial, view, partials, contexts, depth + 1, budget);
    } else {
      const v = lookup(contexts, node.name);
      if (node.inverted) {
        if (isEmpty(v)) out += fill(node.children, view, partials, contexts, depth, budget);
      } else if (Array.isArray(v)) {
        for (const item of v) out += fill(node.children, view, partials, [...contexts, item], depth, budget);
      } else if (!isEmpty(v)) out += fill(node.children, view, partials, typeof v === 'object' ? [...contexts, v] : contexts, depth, budget);
    }
  }
  return out;
}
