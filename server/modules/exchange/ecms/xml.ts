// Small, strict XML helpers for the ECMS adapter: one parser configuration (refuses DTDs and any
// parser warning, so a malformed or entity-laden request is refused rather than half-read), escaping
// for the string templates in messages.ts, and child lookups by namespace + local name.
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';

export class XmlError extends Error {}

/** Parses a whole XML document; throws XmlError on anything but well-formed, DTD-free XML. */
export function parseXml(xml: string): Document {
  // A DOCTYPE can declare entities (billion laughs, external entities): no ECMS message needs one.
  if (/<!DOCTYPE/i.test(xml)) throw new XmlError('A DOCTYPE is not allowed.');
  const problems: string[] = [];
  const report = (msg: string) => problems.push(String(msg).split('\n')[0]);
  const doc = new DOMParser({ errorHandler: { warning: report, error: report, fatalError: report } }).parseFromString(xml, 'text/xml');
  if (problems.length || !doc || !doc.documentElement) throw new XmlError(`The XML is not well-formed: ${problems[0] ?? 'no root element'}`);
  return doc as unknown as Document;
}

export function serialize(node: Node): string {
  return new XMLSerializer().serializeToString(node as never);
}

export function esc(value: string | number): string {
  return String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Element children only (text, comments and processing instructions skipped). */
export function elements(parent: Node): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) out.push(n as Element);
  return out;
}

/** Children named `local`; `ns` null means "no namespace", undefined means "any namespace". */
export function children(parent: Node, local: string, ns?: string | null): Element[] {
  return elements(parent).filter((e) => e.localName === local && (ns === undefined || (e.namespaceURI ?? null) === ns));
}

export function child(parent: Node, local: string, ns?: string | null): Element | undefined {
  return children(parent, local, ns)[0];
}

/** Exactly one child named `local`, else XmlError (duplicates are how wrapping and confusion attacks start). */
export function only(parent: Node, local: string, ns?: string | null): Element {
  const found = children(parent, local, ns);
  if (found.length !== 1) throw new XmlError(`Expected exactly one <${local}> in <${(parent as Element).localName}>, found ${found.length}.`);
  return found[0];
}

export function text(el: Element | undefined): string | undefined {
  if (!el) return undefined;
  if (elements(el).length) throw new XmlError(`<${el.localName}> must hold text only.`);
  return (el.textContent ?? '').trim();
}

export function requiredText(parent: Node, local: string, ns?: string | null, max = 2000): string {
  const value = text(only(parent, local, ns));
  if (!value) throw new XmlError(`<${local}> is empty.`);
  if (value.length > max) throw new XmlError(`<${local}> is longer than ${max} characters.`);
  return value;
}

export function optionalText(parent: Node, local: string, ns?: string | null, max = 2000): string | undefined {
  const found = children(parent, local, ns);
  if (found.length > 1) throw new XmlError(`<${local}> appears more than once.`);
  const value = text(found[0]);
  if (value && value.length > max) throw new XmlError(`<${local}> is longer than ${max} characters.`);
  return value || undefined;
}

/** Optional element: written only when the value is present. */
export function opt(tag: string, value: string | undefined | null): string {
  return value === undefined || value === null || value === '' ? '' : `<${tag}>${esc(value)}</${tag}>`;
}
