import { createHash, randomBytes } from 'node:crypto';

export const SCOPES = ['read', 'write', 'operate'] as const;
export type Scope = (typeof SCOPES)[number];

/** `tw_` + 32 random bytes (base64url): recognisable in a leak scan, unguessable. */
const TOKEN_PATTERN = /^tw_[A-Za-z0-9_-]{43}$/;

export function generateToken(): string {
  return `tw_${randomBytes(32).toString('base64url')}`;
}

/** Only this hash is stored. A plain SHA-256 suffices: the token has 256 bits of entropy, nothing to stretch. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function looksLikeToken(text: string): boolean {
  return TOKEN_PATTERN.test(text);
}

/** Parses `read,write` into scopes; throws naming the first unknown one. */
export function parseScopes(text: string): Scope[] {
  const scopes = [
    ...new Set(
      text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  if (scopes.length === 0) throw new Error(`no scope given: use one or more of ${SCOPES.join(', ')}`);
  for (const scope of scopes) {
    if (!(SCOPES as readonly string[]).includes(scope)) {
      throw new Error(`unknown scope "${scope}": use one or more of ${SCOPES.join(', ')}`);
    }
  }
  return scopes as Scope[];
}
