// Request and response shapes of the signature routes.
import { z } from '../../lib/openapi';

const pin = z.string().min(6).max(64).openapi({ description: 'The signing PIN (6–64 characters); never logged or stored' });

export const PinBody = z.object({ pin, currentPin: z.string().max(64).optional() }).openapi('SigningPinSet');
export const CheckBody = z.object({ password: z.string().min(1).max(200) }).openapi('SigningCheck');
export const Grant = z.object({ signingGrant: z.string(), expiresAt: z.string() }).openapi('SigningGrant');
export const IssueBody = z.object({ pin }).openapi('SigningCredentialIssue');
export const RevokeBody = z.object({ reason: z.string().trim().min(1).max(255) }).openapi('SigningCredentialRevoke');
export const AuthorityBody = z.object({
  certificatePem: z.string().min(1).max(20000),
  crlBase64: z.string().max(8_000_000).optional().openapi({ description: 'The CA\'s CRL (DER, base64), if known' }),
}).openapi('SigningAuthorityImport');
export const CodeParam = z.object({ code: z.string().regex(/^[0-9A-Z]{6,32}$/).openapi({ example: '7K2M9QX4PA' }) });

export const Credential = z.object({
  id: z.number(), kind: z.enum(['issued', 'imported']), subject: z.string(), serial: z.string(), fingerprint: z.string(),
  notBefore: z.string(), notAfter: z.string(), revokedAt: z.string().nullable(), revocationReason: z.string().nullable(), certificatePem: z.string(),
}).openapi('SigningCredential');
export const Status = z.object({
  pinSet: z.boolean(), lockedUntil: z.string().nullable(), credentials: z.array(Credential),
  timestamping: z.boolean().openapi({ description: 'TSA_URL is set: signatures are B-T (B-LT with the CA\'s CRL)' }),
}).openapi('SigningStatus');
export const Authority = z.object({ id: z.number(), kind: z.enum(['organisation', 'imported']), organisationId: z.number().nullable(), subject: z.string(), fingerprint: z.string(), certificatePem: z.string() }).openapi('SigningAuthority');

export const SignForm = z.object({
  file: z.string().openapi({ type: 'string', format: 'binary', description: 'The PDF to sign' }),
  pin: z.string().openapi({ description: 'The signing PIN' }),
  signingGrant: z.string().openapi({ description: 'From POST /api/signatures/check' }),
  reason: z.string().optional(),
  documentId: z.string().optional().openapi({ description: 'The letter this PDF is (its verification code is kept across signatures)' }),
}).openapi('SignUpload');
export const SignFields = z.object({
  pin: z.string().min(1).max(64), signingGrant: z.string().max(2000).optional(), reason: z.string().trim().max(500).optional(),
  documentId: z.coerce.number().int().positive().optional(),
});
export const ImportForm = z.object({
  file: z.string().openapi({ type: 'string', format: 'binary', description: 'PKCS#12 (.p12/.pfx)' }),
  password: z.string(), pin: z.string(),
}).openapi('SigningCredentialImport');
export const ImportFields = z.object({ password: z.string().max(200), pin: z.string().min(1).max(64) });
export const VerifyForm = z.object({ file: z.string().openapi({ type: 'string', format: 'binary', description: 'A PDF' }) }).openapi('VerifyUpload');

const Signer = z.object({ commonName: z.string().nullable(), title: z.string().nullable(), organisation: z.string().nullable(), subject: z.string(), serial: z.string(), fingerprint: z.string(), notBefore: z.string(), notAfter: z.string() });
export const VerifyReport = z.object({
  size: z.number(), sha256: z.string(), verificationCode: z.string().nullable(),
  signatures: z.array(z.object({
    index: z.number(), fieldName: z.string().nullable(), subFilter: z.string().nullable(), signer: Signer.nullable(),
    integrity: z.boolean(), signingCertificateBound: z.boolean(),
    chain: z.object({ status: z.enum(['trusted', 'untrusted', 'expired', 'not_yet_valid']), path: z.array(z.string()), anchor: z.string().nullable() }),
    revocation: z.object({ status: z.enum(['good', 'revoked', 'unknown']), revokedAt: z.string().nullable(), revokedBeforeTimestamp: z.boolean().nullable() }),
    timestamp: z.object({ time: z.string(), valid: z.boolean(), tsa: z.string().nullable(), tsaTrusted: z.boolean() }).nullable(),
    claimedTime: z.string().nullable(), coverage: z.enum(['whole_file', 'earlier_revision']), bytesAfter: z.number(), laterChanges: z.enum(['none', 'validation_data', 'annotations', 'other']),
    level: z.enum(['B-B', 'B-T', 'B-LT', 'not_pades']), status: z.enum(['valid', 'invalid', 'indeterminate']), problems: z.array(z.string()),
  })),
}).openapi('SignatureVerification');
export const PublicRecord = z.object({
  code: z.string(), sha256: z.string(), updatedAt: z.string(), status: z.enum(['valid', 'revoked']),
  signers: z.array(z.object({ name: z.string().nullable(), position: z.string().nullable(), organisation: z.string().nullable(), fingerprint: z.string(), signedAt: z.string(), timestampAt: z.string().nullable(), certificateRevokedAt: z.string().nullable(), status: z.enum(['valid', 'revoked']) })),
}).openapi('SignatureRecordPublic');

export const SignDocumentBody = z.object({
  pin,
  signingGrant: z.string().min(1).max(2000).openapi({ description: 'From POST /api/signatures/check (the fresh sign-in check)' }),
  capacity: z.enum(['self', 'acting_for', 'acting_in_post']).default('self').openapi({ description: 'self, or ปฏิบัติราชการแทน (acting_for) / รักษาราชการแทน (acting_in_post) with positionId' }),
  positionId: z.number().int().positive().optional().openapi({ description: "The principal's position, when signing for someone" }),
}).openapi('LetterSign');
export const SignedLetter = z.object({
  documentId: z.number(), letterNumber: z.string().nullable(), letterDate: z.string().nullable(), registerId: z.number(), registerNumber: z.number(), registerYear: z.number(),
  verificationCode: z.string(), level: z.enum(['B-B', 'B-T', 'B-LT']), timestampAt: z.string().nullable(), taskId: z.number(),
  stepCompleted: z.boolean().openapi({ description: 'The ลงนาม step was completed: the letter went on to the registry for sending' }),
}).openapi('SignedLetter');
export const LetterSigning = z.object({
  taskId: z.number().nullable().openapi({ description: 'My open ลงนาม step on this letter; null: I cannot sign it now' }),
  pinSet: z.boolean(), lockedUntil: z.string().nullable(),
  certificate: z.object({ subject: z.string(), notAfter: z.string() }).nullable().openapi({ description: 'The certificate a signature would use; null: none usable (the typed name of the 2564 amendment remains)' }),
}).openapi('LetterSigning');
