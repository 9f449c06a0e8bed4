// The CMS of a PAdES baseline signature (ETSI EN 319 142-1): CAdES detached, signed attributes
// content-type, message-digest and signing-certificate-v2 (no signing-time: the time comes from
// the signature dictionary's /M and, trusted, from the RFC 3161 time-stamp added as an unsigned
// attribute, which makes it B-T). Built with pkijs; @signpdf/signer-p12 writes none of this.
import crypto from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { parseTstInfo, requestTimestamp } from './tsa';

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  timeStampToken: '1.2.840.113549.1.9.16.2.14',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
} as const;

const ab = (b: Buffer | Uint8Array) => new Uint8Array(b).buffer;

export function parseCertificate(der: Buffer): pkijs.Certificate {
  return pkijs.Certificate.fromBER(ab(der));
}

export function pemToDer(pem: string): Buffer[] {
  return [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) => Buffer.from(m[1].replace(/\s+/g, ''), 'base64'));
}

/** ESS signing-certificate-v2: SHA-256 of the signer's certificate with its issuer and serial. */
function signingCertificateV2(cert: pkijs.Certificate, der: Buffer): asn1js.Sequence {
  const issuerSerial = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({ value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [cert.issuer.toSchema()] })] }),
      new asn1js.Integer({ valueHex: cert.serialNumber.valueBlock.valueHexView.slice().buffer }),
    ],
  });
  const essCertIdV2 = new asn1js.Sequence({
    // hashAlgorithm left out: SHA-256 is its DEFAULT (DER omits defaults).
    value: [new asn1js.OctetString({ valueHex: ab(crypto.createHash('sha256').update(der).digest()) }), issuerSerial],
  });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] });
}

export interface CadesInput {
  /** The bytes the signature covers (the PDF without the /Contents value). */
  content: Buffer;
  key: crypto.webcrypto.CryptoKey;
  /** Signer first, then the issuing chain (DER). */
  chain: Buffer[];
  tsaUrl?: string;
}

/** A DER CMS ContentInfo, detached. With tsaUrl, the signature value is time-stamped (B-T). */
export async function buildCades({ content, key, chain, tsaUrl }: CadesInput): Promise<Buffer> {
  const certs = chain.map(parseCertificate);
  const signer = certs[0];
  const digest = crypto.createHash('sha256').update(content).digest();
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({ issuer: signer.issuer, serialNumber: signer.serialNumber }),
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({
          type: 0,
          attributes: [
            new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
            new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: ab(digest) })] }),
            new pkijs.Attribute({ type: OID.signingCertificateV2, values: [signingCertificateV2(signer, chain[0])] }),
          ],
        }),
      }),
    ],
    certificates: certs,
  });
  await signedData.sign(key as never, 0, 'SHA-256');
  if (tsaUrl) {
    const signatureValue = Buffer.from(signedData.signerInfos[0].signature.valueBlock.valueHexView);
    const token = await requestTimestamp(tsaUrl, crypto.createHash('sha256').update(signatureValue).digest());
    signedData.signerInfos[0].unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({
      type: 1,
      attributes: [new pkijs.Attribute({ type: OID.timeStampToken, values: [asn1js.fromBER(ab(token)).result] })],
    });
  }
  const info = new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) });
  return Buffer.from(info.toSchema().toBER(false));
}

/** The time of the RFC 3161 token inside a CMS built by buildCades (null without one). */
export function timestampTimeOf(cms: Buffer): Date | null {
  const signed = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(ab(cms)).content });
  const attr = signed.signerInfos[0].unsignedAttrs?.attributes.find((a) => a.type === OID.timeStampToken);
  return attr ? parseTstInfo(new pkijs.ContentInfo({ schema: attr.values[0] })).genTime : null;
}

/** The DER element at the start of `padded` (a /Contents value is padded with zero bytes). */
export function derPrefix(padded: Buffer): Buffer {
  if (padded.length < 2) return padded;
  const first = padded[1];
  if (first < 0x80) return padded.subarray(0, 2 + first);
  const n = first & 0x7f;
  if (n === 0 || n > 4 || padded.length < 2 + n) return padded;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + padded[2 + i];
  return padded.subarray(0, Math.min(padded.length, 2 + n + len));
}
