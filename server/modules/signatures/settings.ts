// The signing settings, from the environment (README: Configuration).
function int(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

export const signingSettings = () => ({
  /** RFC 3161 time-stamping authority; unset: signatures are B-B (no trusted time), and say so. */
  tsaUrl: process.env.TSA_URL || undefined,
  /** Wrong PINs (or passwords at the signing check) before the PIN locks. */
  pinMaxAttempts: int('SIGNING_PIN_MAX_ATTEMPTS', 5),
  pinLockMs: int('SIGNING_PIN_LOCK_MINUTES', 15) * 60_000,
  /** How long the sign-in check before signing stays fresh. */
  freshSeconds: int('SIGNING_FRESH_SECONDS', 300),
  /** Largest PDF accepted for signing, stamping or verifying. */
  maxPdfBytes: int('SIGNATURE_MAX_PDF_BYTES', 20 * 1024 * 1024),
});
