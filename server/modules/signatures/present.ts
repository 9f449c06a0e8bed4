// How signature resources leave the server: certificates and CAs, never a sealed key.
import type { SigningAuthority, SigningCredential } from '../../db/models';

export function presentCredential(c: SigningCredential) {
  return {
    id: c.id, kind: c.kind, subject: c.subject, serial: c.serialHex, fingerprint: c.fingerprint,
    notBefore: c.notBefore.toISOString(), notAfter: c.notAfter.toISOString(), revokedAt: c.revokedAt?.toISOString() ?? null,
    revocationReason: c.revocationReason, certificatePem: c.certificatePem,
  };
}

export function presentAuthority(a: SigningAuthority) {
  return { id: a.id, kind: a.kind, organisationId: a.organisationId, subject: a.subject, fingerprint: a.fingerprint, certificatePem: a.certificatePem };
}
