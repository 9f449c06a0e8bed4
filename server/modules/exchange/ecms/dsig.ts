// XML-DSig for the ECMS adapter (xml-crypto ≥ 6). Two signatures, one helper:
//  - the message signature: in wsse:Security in soap:Header, over soap:Body and the WS-Addressing
//    headers (so MessageID — our replay key — and To cannot be swapped);
//  - the letter signature (ram:GovernmentSignature): over ram:CorrespondenceLetter, so the letter
//    stays provably from its sender when it travels through an ECMS node's queue.
// Verification takes the peer's certificate from OUR directory (never from KeyInfo) and returns the
// canonical XML of what was signed; callers read only that (see verifySigned), which is what makes
// signature wrapping (a signed element moved aside, an unsigned one put where we read) harmless.
import crypto from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import { parseXml, serialize, elements, children, XmlError } from './xml';
import { NS } from './messages';

export const WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const ECDSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';

/** ECDSA for XML-DSig (RFC 4050/6931: the raw r||s value, not DER); xml-crypto ships RSA only. */
class EcdsaSha256 {
  getSignature(signedInfo: crypto.BinaryLike, privateKey: crypto.KeyLike): string {
    return crypto.sign('sha256', Buffer.from(signedInfo as string), { key: privateKey as crypto.KeyObject, dsaEncoding: 'ieee-p1363' }).toString('base64');
  }
  verifySignature(material: string, key: crypto.KeyLike, signatureValue: string): boolean {
    return crypto.verify('sha256', Buffer.from(material), { key: key as crypto.KeyObject, dsaEncoding: 'ieee-p1363' }, Buffer.from(signatureValue, 'base64'));
  }
  getAlgorithmName() {
    return ECDSA_SHA256;
  }
}

/** The one algorithm a key may sign with: an RSA certificate cannot be made to accept an ECDSA signature or the reverse. */
function algorithmFor(key: crypto.KeyObject): string {
  if (key.asymmetricKeyType === 'rsa') return RSA_SHA256;
  if (key.asymmetricKeyType === 'ec') return ECDSA_SHA256;
  throw new Error(`Exchange keys must be RSA or EC, not ${key.asymmetricKeyType}.`);
}

function newSignedXml(options: ConstructorParameters<typeof SignedXml>[0]): SignedXml {
  const sig = new SignedXml({ getCertFromKeyInfo: () => null, ...options });
  (sig.SignatureAlgorithms as Record<string, unknown>)[ECDSA_SHA256] = EcdsaSha256;
  return sig;
}

export interface Signer { privateKeyPem: string; certificatePem: string }

/**
 * Signs the elements carrying the given ID attributes and puts the ds:Signature into the element
 * matched by `location` (XPath). The certificate goes into KeyInfo for humans and other tools; we
 * never trust it on receipt.
 */
export function sign(xml: string, ids: string[], signer: Signer, location: string, action: 'append' | 'prepend' = 'append'): string {
  const privateKey = crypto.createPrivateKey(signer.privateKeyPem);
  const sig = newSignedXml({ privateKey: signer.privateKeyPem, publicCert: signer.certificatePem, signatureAlgorithm: algorithmFor(privateKey) as never, canonicalizationAlgorithm: EXC_C14N });
  for (const id of ids) sig.addReference({ xpath: `//*[@ID='${id}']`, transforms: [EXC_C14N], digestAlgorithm: SHA256 });
  sig.computeSignature(xml, { prefix: 'ds', location: { reference: location, action } });
  return sig.getSignedXml();
}

export class SignatureError extends Error {}

/**
 * Verifies one ds:Signature node of `xml` with `certificatePem` and returns, for each ID it covers,
 * the canonical XML that was signed. Refuses references that are not same-document #ID references,
 * algorithms other than the one the certificate's key type allows, and any invalid digest.
 */
export function verifySigned(xml: string, signature: Element, certificatePem: string): Map<string, string> {
  let cert: crypto.X509Certificate;
  try {
    cert = new crypto.X509Certificate(certificatePem);
  } catch {
    throw new SignatureError('The peer certificate in the directory cannot be read.');
  }
  const now = Date.now();
  if (Date.parse(cert.validFrom) > now || Date.parse(cert.validTo) < now) throw new SignatureError('The peer certificate is not valid at this time.');
  const allowed = algorithmFor(cert.publicKey);
  const method = elements(elements(signature).find((e) => e.localName === 'SignedInfo') ?? signature).find((e) => e.localName === 'SignatureMethod');
  if (method?.getAttribute('Algorithm') !== allowed) throw new SignatureError('The signature algorithm does not match the peer certificate.');
  const sig = newSignedXml({ publicCert: cert.toString() });
  let valid = false;
  try {
    sig.loadSignature(signature);
    valid = sig.checkSignature(xml);
  } catch (err) {
    throw new SignatureError(`The signature does not verify: ${(err as Error).message}`);
  }
  if (!valid) throw new SignatureError('The signature does not verify.');
  const signed = new Map<string, string>();
  for (const ref of sig.getReferences()) {
    if (!ref.uri || !ref.uri.startsWith('#') || ref.signedReference === undefined) throw new SignatureError('Only same-document #ID references are accepted.');
    signed.set(ref.uri.slice(1), ref.signedReference);
  }
  return signed;
}

/** The canonical signed XML of the element whose ID is `id`, parsed; it must be `ns:local` and carry that ID. */
export function signedElement(signed: Map<string, string>, id: string | null, local: string, ns: string): Element {
  if (!id || !signed.has(id)) throw new SignatureError(`<${local}> is not covered by the signature.`);
  const el = parseXml(signed.get(id)!).documentElement as unknown as Element;
  if (el.localName !== local || el.namespaceURI !== ns || el.getAttribute('ID') !== id) throw new SignatureError(`The signed reference #${id} is not <${local}>.`);
  return el;
}

/** Every ID attribute value in the document must be unique (else which one was signed is ambiguous). */
export function assertUniqueIds(doc: Document): void {
  const seen = new Set<string>();
  const walk = (el: Element) => {
    for (const name of ['ID', 'Id', 'id']) {
      for (let i = 0; i < el.attributes.length; i++) {
        const a = el.attributes[i];
        if (a.localName !== name) continue;
        if (seen.has(a.value)) throw new XmlError(`The ID "${a.value}" appears more than once.`);
        seen.add(a.value);
      }
    }
    elements(el).forEach(walk);
  };
  walk(doc.documentElement as unknown as Element);
}

/** ram:GovernmentSignature for a letter: the signer's party, then an enveloped ds:Signature over #letterId. */
export function signLetter(letterXml: string, letterId: string, signer: Signer, signerPartyXml = ''): string {
  const wrapped = `<rsm:GovernmentDocument xmlns:rsm="${NS.rsm}" xmlns:ram="${NS.ram}">${letterXml}`
    + `<ram:GovernmentSignature><ram:TypeCode>XMLDSIG</ram:TypeCode>${signerPartyXml}</ram:GovernmentSignature></rsm:GovernmentDocument>`;
  return sign(wrapped, [letterId], signer, "//*[local-name()='GovernmentSignature']");
}

/** Verifies the GovernmentSignature of a (signed-body-derived) GovernmentDocument; returns the signed letter element. */
export function verifyLetter(documentEl: Element, certificatePem: string): Element {
  const letters = children(documentEl, 'CorrespondenceLetter', NS.ram);
  const gsig = children(documentEl, 'GovernmentSignature', NS.ram);
  if (letters.length !== 1 || gsig.length !== 1) throw new XmlError('A GovernmentDocument holds one CorrespondenceLetter and one GovernmentSignature.');
  const sigs = children(gsig[0], 'Signature', NS.ds);
  if (sigs.length !== 1) throw new SignatureError('The GovernmentSignature holds no XML signature.');
  // Verify against the document alone, serialised canonically by the caller's signed reference.
  const xml = serialize(documentEl);
  const reparsed = parseXml(xml);
  assertUniqueIds(reparsed);
  const sigNode = children(children(reparsed.documentElement as unknown as Element, 'GovernmentSignature', NS.ram)[0], 'Signature', NS.ds)[0];
  const signed = verifySigned(xml, sigNode, certificatePem);
  return signedElement(signed, letters[0].getAttribute('ID'), 'CorrespondenceLetter', NS.ram);
}
