// RFC 3161 client: asks the time-stamping authority at TSA_URL to stamp a hash.
import crypto from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

const SHA256 = '2.16.840.1.101.3.4.2.1';

export class TimestampError extends Error {}

/** The TimeStampToken (a CMS ContentInfo, DER) over `digest` (SHA-256). */
export async function requestTimestamp(tsaUrl: string, digest: Buffer, timeoutMs = 10_000): Promise<Buffer> {
  const nonce = crypto.randomBytes(8);
  // Positive and minimally encoded: a leading 0x00 byte makes a non-DER INTEGER, which TSAs refuse.
  nonce[0] = (nonce[0] & 0x7f) | 0x01;
  const req = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: SHA256 }),
      hashedMessage: new asn1js.OctetString({ valueHex: new Uint8Array(digest).buffer }),
    }),
    nonce: new asn1js.Integer({ valueHex: new Uint8Array(nonce).buffer }),
    certReq: true,
  });
  let res: Response;
  try {
    res = await fetch(tsaUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/timestamp-query' },
      body: Buffer.from(req.toSchema().toBER(false)),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new TimestampError(`The time-stamping authority (TSA_URL) did not answer: ${(err as Error).message}`);
  }
  if (!res.ok) throw new TimestampError(`The time-stamping authority answered HTTP ${res.status}.`);
  const body = Buffer.from(await res.arrayBuffer());
  const parsed = asn1js.fromBER(new Uint8Array(body).buffer);
  if (parsed.offset === -1) throw new TimestampError('The time-stamping authority sent something that is not a time-stamp response.');
  const resp = new pkijs.TimeStampResp({ schema: parsed.result });
  const status = resp.status.status;
  if ((status !== 0 && status !== 1) || !resp.timeStampToken) {
    const text = resp.status.statusStrings?.map((s) => s.valueBlock.value).join('; ');
    throw new TimestampError(`The time-stamping authority refused the request (status ${status}${text ? `: ${text}` : ''}).`);
  }
  const tst = parseTstInfo(resp.timeStampToken);
  if (!Buffer.from(tst.messageImprint.hashedMessage.valueBlock.valueHexView).equals(digest)) throw new TimestampError('The time-stamp does not cover the requested hash.');
  // Compared as numbers: a TSA may drop leading zero bytes of the nonce integer.
  const asNumber = (b: Buffer) => BigInt(`0x${b.toString('hex') || '0'}`);
  if (!tst.nonce || asNumber(Buffer.from(tst.nonce.valueBlock.valueHexView)) !== asNumber(nonce)) {
    throw new TimestampError('The time-stamp response does not answer this request (nonce).');
  }
  return Buffer.from(resp.timeStampToken.toSchema().toBER(false));
}

export function parseTstInfo(token: pkijs.ContentInfo): pkijs.TSTInfo {
  const signed = new pkijs.SignedData({ schema: token.content });
  const content = signed.encapContentInfo.eContent;
  if (!content) throw new TimestampError('The time-stamp token has no content.');
  const raw = Buffer.from(content.getValue()); // primitive or constructed alike
  return new pkijs.TSTInfo({ schema: asn1js.fromBER(new Uint8Array(raw).buffer).result });
}
