import { timingSafeEqual } from 'node:crypto';
import ssh2 from 'ssh2';

const METHODS: ssh2.AuthenticationType[] = ['publickey', 'keyboard-interactive', 'password'];

/** Who may log in to a router. */
export type Credentials = { username: string; password: string; authorizedKeys: string[] };

/**
 * Answers one SSH authentication attempt: password, keyboard-interactive (`Password: `) or public key (with
 * its signature checked). `rejectAll` is the reject-login fault.
 */
export function authenticate(ctx: ssh2.AuthContext, credentials: Credentials, rejectAll: boolean): void {
  if (rejectAll || ctx.username !== credentials.username) {
    ctx.reject(METHODS);
    return;
  }
  switch (ctx.method) {
    case 'password':
      if (sameSecret(ctx.password, credentials.password)) ctx.accept();
      else ctx.reject(METHODS);
      return;
    case 'keyboard-interactive':
      ctx.prompt([{ prompt: 'Password: ', echo: false }], (answers) => {
        if (sameSecret(answers[0] ?? '', credentials.password)) ctx.accept();
        else ctx.reject(METHODS);
      });
      return;
    case 'publickey': {
      const allowed = credentials.authorizedKeys
        .map((text) => ssh2.utils.parseKey(text))
        .find(
          (key): key is ssh2.ParsedKey =>
            !(key instanceof Error) && key.type === ctx.key.algo && key.getPublicSSH().equals(ctx.key.data),
        );
      // Without a signature the client only asks whether the key would do; with one, it must verify.
      if (
        !allowed ||
        (ctx.signature && ctx.blob && allowed.verify(ctx.blob, ctx.signature, ctx.hashAlgo) !== true)
      ) {
        ctx.reject(METHODS);
      } else ctx.accept();
      return;
    }
    default:
      ctx.reject(METHODS);
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
