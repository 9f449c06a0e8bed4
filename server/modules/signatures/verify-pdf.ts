// Checks every signature of a PDF on its own terms: integrity of the bytes it covers, the signer's
// certificate chain against known CAs, revocation from the CRLs we know, the RFC 3161 time-stamp,
// and whether it covers the whole file or an earlier revision (later incremental updates).
// Pure computation on bytes: runs in a worker thread (see worker.ts).
import 'reflect-metadata';
import crypto from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { x509 } from './ca';
import { derPrefix, OID } from './cms';
import { parseTstInfo } from './tsa';
import { PdfInputError, loadForUpdate } from './pdf';

const ab = (b: Buffer | Uint8Array) => new Uint8Array(b).buffer;

export interface SignatureReport {
  index: number;
  fieldName: string | null;
  subFilter: string | null;
  signer: { commonName: string | null; title: string | null; organisation: string | null; subject: string; serial: string; fingerprint: string; notBefore: string; notAfter: string } | null;
  /** The covered bytes are unchanged and the signature value verifies with the signer's key. */
  integrity: boolean;
  /** The signing-certificate-v2 attribute names this certificate (no substitution). */
  signingCertificateBound: boolean;
  chain: { status: 'trusted' | 'untrusted' | 'expired' | 'not_yet_valid'; path: string[]; anchor: string | null };
  revocation: { status: 'good' | 'revoked' | 'unknown'; revokedAt: string | null; revokedBeforeTimestamp: boolean | null };
  timestamp: { time: string; valid: boolean; tsa: string | null; tsaTrusted: boolean } | null;
  /** The claimed signing time (/M), not trustworthy on its own. */
  claimedTime: string | null;
  coverage: 'whole_file' | 'earlier_revision';
  bytesAfter: number;
  /**
   * What the updates after this signature hold, by a look at their objects: validation data only
   * (a DSS: B-LT), annotations (later signatures, stamps, endorsements, with the pages that list
   * them), or other changes. Signatures never cover later updates; this says what they are.
   */
  laterChanges: 'none' | 'validation_data' | 'annotations' | 'other';
  /** B-B, B-T or B-LT: what the PAdES level looks like from the file. */
  level: 'B-B' | 'B-T' | 'B-LT' | 'not_pades';
  status: 'valid' | 'invalid' | 'indeterminate';
  problems: string[];
}

export interface VerifyInput { pdf: Buffer; anchors: string[]; crls: Buffer[]; now?: Date }

interface RawSignature { byteRange: [number, number, number, number]; contents: Buffer; dict: string }

/** Signature dictionaries are never compressed (/ByteRange points into raw bytes): a byte scan finds them all. */
function findSignatures(pdf: Buffer): RawSignature[] {
  const out: RawSignature[] = [];
  const re = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;
  const text = pdf.toString('latin1');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const br = [1, 2, 3, 4].map((i) => Number(m![i])) as [number, number, number, number];
    const [a, b, c, d] = br;
    if (a !== 0 || b <= 0 || c <= b || c + d > pdf.length) {
      out.push({ byteRange: br, contents: Buffer.alloc(0), dict: '' });
      continue;
    }
    const hex = text.slice(b, c).replace(/^</, '').replace(/>$/, '');
    const dictStart = text.lastIndexOf('<<', m.index);
    const dictEnd = text.indexOf('>>', c);
    out.push({ byteRange: br, contents: derPrefix(Buffer.from(hex, 'hex')), dict: text.slice(Math.max(0, dictStart), b) + text.slice(c, dictEnd + 2) });
  }
  return out;
}

const rdn = (name: x509.Name, oid: string) => name.getField(oid)[0] ?? null;

function pdfDateToIso(s: string | undefined): string | null {
  const m = /D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})/.exec(s ?? '');
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])).toISOString() : null;
}

/** Builds the path to a known anchor (by subject, checked by signature) and checks validity at `when`. */
async function checkChain(cert: x509.X509Certificate, pool: x509.X509Certificate[], anchors: x509.X509Certificate[], when: Date) {
  const path = [cert];
  let current = cert;
  for (let depth = 0; depth < 8; depth++) {
    const anchor = anchors.find((a) => a.subject === current.issuer);
    if (anchor && (await current.verify({ publicKey: anchor.publicKey, signatureOnly: true }))) {
      const full = [...path, anchor];
      const expired = full.find((c) => when > c.notAfter);
      const early = full.find((c) => when < c.notBefore);
      return { status: expired ? 'expired' as const : early ? 'not_yet_valid' as const : 'trusted' as const, path: full, anchor };
    }
    const issuer = pool.find((c) => c.subject === current.issuer && c !== current);
    if (!issuer || !(await current.verify({ publicKey: issuer.publicKey, signatureOnly: true }))) break;
    path.push(issuer);
    current = issuer;
  }
  return { status: 'untrusted' as const, path, anchor: null };
}

async function checkRevocation(path: x509.X509Certificate[], crls: x509.X509Crl[]) {
  let known = path.length > 1;
  for (let i = 0; i < path.length - 1; i++) {
    const issuer = path[i + 1];
    const crl = crls.find((c) => c.issuer === issuer.subject);
    if (!crl || !(await crl.verify({ publicKey: issuer.publicKey }))) {
      known = false;
      continue;
    }
    const entry = crl.findRevoked(path[i]);
    if (entry) return { status: 'revoked' as const, revokedAt: entry.revocationDate };
  }
  return { status: known ? 'good' as const : 'unknown' as const, revokedAt: null };
}

async function checkTimestamp(tokenAsn: asn1js.AsnType, signatureValue: Buffer, anchors: x509.X509Certificate[]) {
  const token = new pkijs.ContentInfo({ schema: tokenAsn });
  const signed = new pkijs.SignedData({ schema: token.content });
  const tst = parseTstInfo(token);
  const imprintOk = Buffer.from(tst.messageImprint.hashedMessage.valueBlock.valueHexView).equals(crypto.createHash('sha256').update(signatureValue).digest());
  let sigOk = false;
  try {
    // For a TSTInfo, pkijs takes `data` as what was stamped and checks the imprint against it too.
    sigOk = (await signed.verify({ signer: 0, data: ab(signatureValue), checkChain: false, extendedMode: true })).signatureVerified === true;
  } catch {
    sigOk = false;
  }
  const tsaCerts = (signed.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate).map((c) => new x509.X509Certificate(c.toSchema().toBER(false)));
  const tsaCert = tsaCerts.find((c) => c.extensions.some((e) => e.type === '2.5.29.37' && (e as x509.ExtendedKeyUsageExtension).usages.includes('1.3.6.1.5.5.7.3.8'))) ?? tsaCerts[0];
  const tsaTrusted = tsaCert ? (await checkChain(tsaCert, tsaCerts, anchors, tst.genTime)).status === 'trusted' : false;
  return { time: tst.genTime.toISOString(), valid: imprintOk && sigOk, tsa: tsaCert ? rdn(tsaCert.subjectName, '2.5.4.3') : null, tsaTrusted };
}

async function verifyOne(pdf: Buffer, raw: RawSignature, index: number, anchors: x509.X509Certificate[], crls: x509.X509Crl[], now: Date): Promise<SignatureReport> {
  const problems: string[] = [];
  const [, b, c, d] = raw.byteRange;
  const fieldName = null;
  const subFilter = /\/SubFilter\s*\/([\w.]+)/.exec(raw.dict)?.[1] ?? null;
  const claimedTime = pdfDateToIso(/\/M\s*\((D:[^)]*)\)/.exec(raw.dict)?.[1]);
  const coverage = c + d === pdf.length ? 'whole_file' : 'earlier_revision';
  const base: SignatureReport = {
    index, fieldName, subFilter, signer: null, integrity: false, signingCertificateBound: false,
    chain: { status: 'untrusted', path: [], anchor: null }, revocation: { status: 'unknown', revokedAt: null, revokedBeforeTimestamp: null },
    timestamp: null, claimedTime, coverage, bytesAfter: pdf.length - (c + d), laterChanges: laterChanges(pdf.subarray(c + d)), level: 'not_pades', status: 'invalid', problems,
  };
  let signed: pkijs.SignedData;
  try {
    const info = pkijs.ContentInfo.fromBER(ab(raw.contents));
    signed = new pkijs.SignedData({ schema: info.content });
  } catch {
    problems.push('The signature value is not a CMS SignedData structure.');
    return base;
  }
  const content = Buffer.concat([pdf.subarray(0, b), pdf.subarray(c, c + d)]);
  let signerCert: pkijs.Certificate | undefined;
  try {
    const result = await signed.verify({ signer: 0, data: ab(content), checkChain: false, extendedMode: true });
    base.integrity = result.signatureVerified === true;
    signerCert = result.signerCertificate ?? undefined;
  } catch (err) {
    const e = err as { signerCertificate?: pkijs.Certificate; message?: string };
    signerCert = e.signerCertificate ?? undefined;
    base.integrity = false;
  }
  if (!base.integrity) problems.push('The signed bytes were changed after signing, or the signature value does not verify.');
  if (!signerCert) {
    problems.push('The signer\'s certificate is not in the signature.');
    return base;
  }
  const der = Buffer.from(signerCert.toSchema().toBER(false));
  const cert = new x509.X509Certificate(der);
  base.signer = {
    commonName: rdn(cert.subjectName, '2.5.4.3'), title: rdn(cert.subjectName, '2.5.4.12'), organisation: rdn(cert.subjectName, '2.5.4.10'),
    subject: cert.subject, serial: cert.serialNumber, fingerprint: crypto.createHash('sha256').update(der).digest('hex'),
    notBefore: cert.notBefore.toISOString(), notAfter: cert.notAfter.toISOString(),
  };
  const si = signed.signerInfos[0];
  const attr = (set: pkijs.SignedAndUnsignedAttributes | undefined, oid: string) => set?.attributes.find((a) => a.type === oid);
  const scv2 = attr(si.signedAttrs, OID.signingCertificateV2);
  if (scv2) {
    const hash = (scv2.values[0] as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence;
    const first = (hash.valueBlock.value[0] as asn1js.Sequence).valueBlock.value.find((v) => v instanceof asn1js.OctetString) as asn1js.OctetString | undefined;
    base.signingCertificateBound = !!first && Buffer.from(first.valueBlock.valueHexView).equals(crypto.createHash('sha256').update(der).digest());
    if (!base.signingCertificateBound) problems.push('The signing-certificate-v2 attribute does not match the signer\'s certificate.');
  }
  const tokenAttr = attr(si.unsignedAttrs, OID.timeStampToken);
  if (tokenAttr) {
    try {
      base.timestamp = await checkTimestamp(tokenAttr.values[0], Buffer.from(si.signature.valueBlock.valueHexView), anchors);
      if (!base.timestamp.valid) problems.push('The time-stamp does not match the signature or its own signature does not verify.');
    } catch {
      problems.push('The time-stamp token cannot be read.');
    }
  }
  const when = base.timestamp?.valid ? new Date(base.timestamp.time) : now;
  const pool = (signed.certificates ?? []).filter((x): x is pkijs.Certificate => x instanceof pkijs.Certificate).map((x) => new x509.X509Certificate(x.toSchema().toBER(false)));
  const chain = await checkChain(cert, pool, anchors, when);
  base.chain = { status: chain.status, path: chain.path.map((x) => x.subject), anchor: chain.anchor?.subject ?? null };
  if (chain.status === 'untrusted') problems.push('The certificate does not chain to a known CA.');
  if (chain.status === 'expired') problems.push(`A certificate of the chain had expired at ${when.toISOString()}.`);
  const revocation = await checkRevocation(chain.path, crls);
  base.revocation = {
    status: revocation.status,
    revokedAt: revocation.revokedAt?.toISOString() ?? null,
    revokedBeforeTimestamp: revocation.revokedAt ? !base.timestamp?.valid || revocation.revokedAt <= new Date(base.timestamp.time) : null,
  };
  if (revocation.status === 'revoked') problems.push(`The signer's certificate was revoked at ${revocation.revokedAt!.toISOString()}.`);
  const hasDss = pdf.subarray(c + d).indexOf('/DSS') >= 0;
  base.level = subFilter !== 'ETSI.CAdES.detached' || !scv2 ? 'not_pades' : base.timestamp ? (hasDss ? 'B-LT' : 'B-T') : 'B-B';
  const revokedBad = revocation.status === 'revoked' && base.revocation.revokedBeforeTimestamp !== false;
  base.status = !base.integrity || base.signingCertificateBound === false && !!scv2 || revokedBad || (base.timestamp && !base.timestamp.valid)
    ? 'invalid'
    : chain.status === 'trusted' ? 'valid' : 'indeterminate';
  return base;
}

function laterChanges(tail: Buffer): SignatureReport['laterChanges'] {
  if (!tail.toString('latin1').trim()) return 'none';
  const text = tail.toString('latin1');
  if (/\/Type\s*\/Annot\b/.test(text)) return 'annotations';
  if (/\/DSS\b/.test(text) && !/\/Type\s*\/Page\b/.test(text)) return 'validation_data';
  return 'other';
}

export interface VerifyReport { size: number; sha256: string; signatures: SignatureReport[] }

export async function verifyPdf({ pdf, anchors, crls, now = new Date() }: VerifyInput): Promise<VerifyReport> {
  await loadForUpdate(pdf); // refuses non-PDF, malformed and encrypted files with a clear reason
  const anchorCerts = anchors.map((p) => new x509.X509Certificate(p));
  const crlObjs = crls.flatMap((der) => {
    try {
      return [new x509.X509Crl(new Uint8Array(der))];
    } catch {
      return [];
    }
  });
  const found = findSignatures(pdf);
  const names = [...pdf.toString('latin1').matchAll(/\/FT\s*\/Sig[\s\S]{0,400}?\/T\s*(<[0-9A-Fa-f]*>|\([^)]*\))/g)].map((m) => m[1]);
  const signatures: SignatureReport[] = [];
  for (const [i, raw] of found.entries()) {
    const report = await verifyOne(pdf, raw, i + 1, anchorCerts, crlObjs, now);
    report.fieldName = decodePdfText(names[i]);
    signatures.push(report);
  }
  return { size: pdf.length, sha256: crypto.createHash('sha256').update(pdf).digest('hex'), signatures };
}

function decodePdfText(s: string | undefined): string | null {
  if (!s) return null;
  if (s.startsWith('(')) return s.slice(1, -1);
  const bytes = Buffer.from(s.slice(1, -1), 'hex');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return bytes.subarray(2).swap16().toString('utf16le');
  return bytes.toString('latin1');
}

export { PdfInputError };
