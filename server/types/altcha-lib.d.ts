// altcha-lib (v2) declares its types only under package.json "exports", which this project's
// moduleResolution "node" does not read (and tsx would follow a tsconfig "paths" entry at run time
// into the .d.ts): the part we use, as node_modules/altcha-lib/dist/cjs/v2/*.d.ts declares it.
declare module 'altcha-lib' {
  export interface ChallengeParameters {
    algorithm: string; nonce: string; salt: string; cost: number; keyLength: number; keyPrefix: string; keySignature?: string;
    memoryCost?: number; parallelism?: number; expiresAt?: number; data?: Record<string, string | number | boolean | null>;
  }
  export interface Challenge { parameters: ChallengeParameters; signature?: string }
  export interface Solution { counter: number; derivedKey: string; time?: number }
  export interface Payload { challenge: Challenge; solution: Solution }
  export type DeriveKeyFunction = (parameters: ChallengeParameters, salt: Uint8Array, password: Uint8Array) => Promise<{ derivedKey: Uint8Array }>;
  export function createChallenge(options: {
    algorithm: string; cost: number; deriveKey: DeriveKeyFunction; counter?: number; expiresAt?: number | Date; hmacSignatureSecret?: string; hmacKeySignatureSecret?: string;
    data?: Record<string, string | number | boolean | null>;
  }): Promise<Challenge>;
  export function verifySolution(options: { challenge: Challenge; solution: Solution; deriveKey: DeriveKeyFunction; hmacSignatureSecret: string; hmacKeySignatureSecret?: string }): Promise<{
    verified: boolean; expired: boolean; invalidSignature: boolean | null; invalidSolution: boolean | null; time: number;
  }>;
  export function solveChallenge(options: { challenge: Challenge; deriveKey: DeriveKeyFunction; timeout?: number }): Promise<Solution | null>;
  export function randomInt(max: number, min?: number): number;
}
declare module 'altcha-lib/algorithms/pbkdf2' {
  import type { DeriveKeyFunction } from 'altcha-lib';
  export const deriveKey: DeriveKeyFunction;
}
