// ECMS settings from the environment (README, "ECMS"): whether the endpoint is served, the URL peers
// address it by (wsa:To must name it), the request size limit and the clock-skew window.
import type { Config } from '../../../config';
import { ECMS_PATH } from './server';

export interface EcmsSettings {
  enabled: boolean;
  /** This deployment's ECMS organisation id (numeric, e.g. 11008). */
  organisationId?: string;
  endpointUrls: string[];
  maxBytes: number;
  clockSkewMs: number;
  /** Requests per minute and address (ECMS_RATE_LIMIT). */
  rateLimit: { windowMs: number; limit: number };
  /** How often the queues of directory entries in poll mode are read (ECMS_POLL_SECONDS), and at most how many items a round takes from one. */
  pollMs: number;
  pollBatch: number;
}

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

export function loadEcmsSettings(config: Pick<Config, 'publicUrl'>): EcmsSettings {
  const organisationId = process.env.ECMS_ORGANISATION_ID || undefined;
  if (organisationId && !/^\d{1,10}$/.test(organisationId)) throw new Error(`ECMS_ORGANISATION_ID must be numeric, got "${organisationId}"`);
  const enabled = process.env.ECMS_ENABLED === 'true';
  if (enabled && !organisationId) throw new Error('ECMS_ENABLED=true needs ECMS_ORGANISATION_ID (this agency\'s ECMS organisation id).');
  const own = `${config.publicUrl.replace(/\/$/, '')}${ECMS_PATH}`;
  const extra = (process.env.ECMS_ENDPOINT_URLS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return {
    enabled, organisationId, endpointUrls: [own, ...extra],
    // A letter's files travel base64 (4/3 of their size) inside the request.
    maxBytes: positive('ECMS_MAX_BYTES', 25 * 1024 * 1024),
    clockSkewMs: positive('ECMS_CLOCK_SKEW_SECONDS', 900) * 1000,
    rateLimit: { windowMs: 60_000, limit: positive('ECMS_RATE_LIMIT', 600) },
    pollMs: positive('ECMS_POLL_SECONDS', 60) * 1000,
    pollBatch: 50,
  };
}
