import { createServer, type Server as NetServer, type Socket } from 'node:net';
import ssh2 from 'ssh2';
import { createChannelIo } from './cli/channel-io.js';
import { matchCommand } from './cli/command-table.js';
import { type ShellHost, ShellSession } from './cli/shell-session.js';
import type { SimClock } from './clock.js';
import { deriveHostKey, type HostKey } from './host-key.js';
import { renderShow } from './render/render-command.js';
import { renderShowVersion } from './render/show-version.js';
import type { RouterConfig } from './router-config.js';
import { RouterModel } from './router-model.js';
import { authenticate } from './ssh-auth.js';
import type { TimelineEventKind } from './tunnel-timeline.js';
import type { Fault, Platform, RouterTruth } from './types.js';

const { Server: SshServer } = ssh2;

/** How to reach and log in to a simulated router: what an inventory entry needs. */
export type RouterAccess = {
  name: string;
  platform: Platform;
  host: string;
  port: number;
  username: string;
  password: string;
  enableSecret: string;
  /** `SHA256:…` of the current host key. */
  hostKeyFingerprint: string;
  /** `ssh-ed25519 AAAA…` of the current host key. */
  hostKey: string;
};

/**
 * One simulated router: its model, its SSH listener on loopback, and its fault switch. Get one from
 * `fleet.router(name)`; do not construct it yourself.
 */
export class SimRouter {
  readonly model: RouterModel;
  private hostKeyGeneration = 0;
  private currentHostKey: HostKey | null = null;
  private sshServer: InstanceType<typeof SshServer> | null = null;
  private readonly listener: NetServer;
  private readonly sockets = new Set<Socket>();
  private currentFault: Fault | null = null;
  private boundPort = 0;
  private listening = false;
  private logins = 0;
  private readonly startedAt: number;

  constructor(
    readonly config: RouterConfig,
    private readonly clock: SimClock,
    readonly host: string,
  ) {
    this.startedAt = clock.now();
    this.model = new RouterModel(config, this.startedAt / 1000);
    this.listener = createServer((socket) => this.accept(socket));
    this.listener.on('error', () => {});
  }

  get name(): string {
    return this.config.name;
  }

  get port(): number {
    return this.boundPort;
  }

  /** Login data and host key, for inventories and tests. */
  get access(): RouterAccess {
    const key = this.hostKey();
    return {
      name: this.config.name,
      platform: this.config.platform,
      host: this.host,
      port: this.boundPort,
      username: this.config.username,
      password: this.config.password,
      enableSecret: this.config.enableSecret,
      hostKeyFingerprint: key.fingerprint,
      hostKey: key.publicKey,
    };
  }

  /** Starts listening (port 0 = any free port). */
  async listen(port = 0): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.listener.once('error', onError);
      this.listener.listen({ port, host: this.host, backlog: 511 }, () => {
        this.listener.off('error', onError);
        resolve();
      });
    });
    const address = this.listener.address();
    this.boundPort = typeof address === 'object' && address ? address.port : port;
    this.listening = true;
  }

  /** Stops listening and drops every connection. */
  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (this.listening) {
      this.listening = false;
      await new Promise<void>((resolve) => this.listener.close(() => resolve()));
    }
  }

  /** The ground truth now (or at sim time `atMs`). */
  truth(atMs = this.clock.now()): RouterTruth {
    return this.model.truth(atMs);
  }

  /**
   * Runs one command line as the router would (privileged), without SSH, and returns its output text.
   * `clear …` commands act on the model. For round-trip tests: render → parse → compare with `truth(at)`.
   */
  run(line: string, atMs = this.clock.now()): string {
    return this.execute(line, atMs).join(this.config.render.lineEnding);
  }

  // ---- events (times are sim time; default now) -------------------------------------------------------

  /** Peer unreachable: the tunnel(s) go down. `peer` undefined = every tunnel. Returns how many tunnels. */
  down(peer?: string, atMs = this.clock.now()): number {
    return this.event('down', atMs, peer);
  }

  /** Peer reachable again: new IKE and IPsec SAs. */
  up(peer?: string, atMs = this.clock.now()): number {
    return this.event('up', atMs, peer);
  }

  /** Down from now (or `atMs`) for `downSeconds`, then up; repeated `times` times every `periodSeconds` (sim seconds). */
  flap(
    peer: string | undefined,
    options: { downSeconds: number; times?: number; periodSeconds?: number; atMs?: number },
  ): number {
    const start = options.atMs ?? this.clock.now();
    const times = options.times ?? 1;
    const period = options.periodSeconds ?? options.downSeconds * 2;
    let count = 0;
    for (let i = 0; i < times; i++) {
      count = this.down(peer, start + i * period * 1000);
      this.up(peer, start + (i * period + options.downSeconds) * 1000);
    }
    return count;
  }

  /** The next rekey fails: the current SAs run out, then the tunnel is down (until `up`). */
  failRekey(peer?: string, atMs = this.clock.now()): number {
    return this.event('fail-rekey', atMs, peer);
  }

  /** As `clear crypto sa [peer X]`: new SAs and SPIs, counters reset. */
  clearSa(peer?: string, atMs = this.clock.now()): number {
    return this.event('clear-sa', atMs, peer);
  }

  /** As `clear crypto isakmp`: new IKE SAs. */
  clearIke(atMs = this.clock.now()): number {
    return this.event('clear-ike', atMs);
  }

  private event(kind: TimelineEventKind, atMs: number, peer?: string): number {
    if (peer !== undefined && !this.model.hasPeer(peer))
      throw new Error(`router ${this.name} has no peer ${peer}`);
    return this.model.addEvent(kind, atMs / 1000, peer);
  }

  // ---- faults ------------------------------------------------------------------------------------------

  get fault(): Fault | null {
    return this.currentFault;
  }

  /** Switches a fault on (or off with null). `refuse` closes the listener; clearing it listens again. */
  async setFault(fault: Fault | null): Promise<void> {
    const wasRefusing = this.currentFault?.kind === 'refuse';
    this.currentFault = fault;
    if (fault?.kind === 'refuse' && this.listening) {
      this.listening = false;
      await new Promise<void>((resolve) => this.listener.close(() => resolve()));
    } else if (wasRefusing && fault?.kind !== 'refuse') {
      await this.listen(this.boundPort);
    }
  }

  /** Successful SSH logins since start: lets tests tell a kept session from a new login. */
  get loginCount(): number {
    return this.logins;
  }

  /** Open TCP connections to this router. */
  get connectionCount(): number {
    return this.sockets.size;
  }

  /** Drops every open connection, as `clear line vty` or a reload does. Returns how many there were. */
  dropConnections(): number {
    const count = this.sockets.size;
    for (const socket of this.sockets) socket.destroy();
    return count;
  }

  /** Switches to the next host key (as after an RMA or a `crypto key generate`). Returns its fingerprint. */
  changeHostKey(): string {
    this.hostKeyGeneration++;
    this.currentHostKey = null;
    this.sshServer = null;
    return this.hostKey().fingerprint;
  }

  private hostKey(): HostKey {
    this.currentHostKey ??= deriveHostKey(this.config.name, this.hostKeyGeneration);
    return this.currentHostKey;
  }

  // ---- SSH ---------------------------------------------------------------------------------------------

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => {});
    if (this.currentFault?.kind === 'hang-on-connect') return;
    // One ssh2 Server per router, made on first use: parsing a host key costs, and most routers of a
    // 10,000-router fleet are never logged in to.
    this.sshServer ??= this.createSshServer();
    this.sshServer.injectSocket(socket);
  }

  private createSshServer(): InstanceType<typeof SshServer> {
    const server = new SshServer({ hostKeys: [this.hostKey().privateKey], ident: 'Cisco-1.25' }, (client) => {
      client.on('error', () => {});
      client.on('authentication', (ctx) =>
        authenticate(ctx, this.config, this.currentFault?.kind === 'reject-login'),
      );
      client.on('ready', () => {
        this.logins++;
        client.on('session', (acceptSession) => {
          const session = acceptSession();
          session.on('pty', (accept) => accept?.());
          session.on('window-change', (accept) => accept?.());
          session.on('env', (accept) => accept?.());
          session.on('shell', (accept) => {
            const stream = accept();
            const socket = (client as unknown as { _sock: Socket })._sock;
            const io = createChannelIo(
              stream,
              socket,
              () => client.end(),
              () => this.slowFault(),
            );
            const shell = new ShellSession(this.shellHost(), io, {
              privileged: this.config.loginPrivileged,
              banner: this.config.banner,
              bannerWithoutNewline: this.config.bannerWithoutNewline,
            });
            stream.on('data', (data: Buffer) => shell.receive(data.toString('latin1')));
            stream.on('error', () => {});
          });
          session.on('exec', (accept, _reject, info) => {
            const stream = accept();
            stream.on('error', () => {});
            stream.write(this.execLine(info.command));
            stream.exit(0);
            stream.end();
          });
        });
      });
    });
    return server;
  }

  private slowFault(): { bytes: number; intervalMs: number } | null {
    const fault = this.currentFault;
    return fault?.kind === 'slow' ? { bytes: fault.bytes ?? 1, intervalMs: fault.intervalMs ?? 50 } : null;
  }

  private shellHost(): ShellHost {
    const config = this.config;
    return {
      hostname: config.hostname,
      platform: config.platform,
      enableSecret: config.enableSecret,
      lineEnding: config.render.lineEnding,
      commandLatencyMs: config.commandLatencyMs,
      execute: (line) => this.execute(line, this.clock.now()),
      forcePaging: () => this.currentFault?.kind === 'force-paging',
      rejects: (line) => {
        const fault = this.currentFault;
        return fault?.kind === 'reject-command' && line.trim().startsWith(fault.prefix);
      },
      outputFault: () => {
        const fault = this.currentFault;
        if (fault?.kind === 'hang-mid-output') return { kind: 'hang', afterBytes: fault.afterBytes ?? 200 };
        if (fault?.kind === 'drop-mid-output') return { kind: 'drop', afterBytes: fault.afterBytes ?? 200 };
        if (fault?.kind === 'garbage') return { kind: 'garbage' };
        return null;
      },
    };
  }

  /** `ssh router "show …"`: runs one command at the login privilege, IOS-style error text on a bad one. */
  private execLine(command: string): string {
    const eol = this.config.render.lineEnding;
    const match = matchCommand(command, this.config.platform, this.config.loginPrivileged);
    // Session commands (enable, terminal …, exit) mean nothing without a shell.
    if (match.kind !== 'command' || !(match.id.startsWith('show-') || match.id.startsWith('clear-'))) {
      return `% Invalid input detected at '^' marker.${eol}`;
    }
    return this.execute(command, this.clock.now()).join(eol) + eol;
  }

  /** Output lines of a matched show or clear command at `atMs` (privileged: the shell checks the level). */
  private execute(line: string, atMs: number): string[] {
    const match = matchCommand(line, this.config.platform, true);
    if (match.kind !== 'command') throw new Error(`not a command this router runs: ${line}`);
    switch (match.id) {
      case 'show-version':
        return renderShowVersion(this.config, (atMs - this.startedAt) / 1000 + 86400 * 12);
      case 'clear-crypto-sa':
        // IOS accepts `clear crypto sa peer [vrf V] X` for any X and silently does nothing when X is unknown
        // there (without `vrf`, X is looked up in the global table).
        if (
          match.args.address === undefined ||
          this.model.hasPeer(match.args.address, match.args.name ?? '')
        ) {
          this.clearSa(match.args.address, atMs);
        }
        return [];
      case 'clear-crypto-isakmp':
        this.clearIke(atMs);
        return [];
      case 'show-ipsec-sa':
      case 'show-isakmp-sa':
      case 'show-ikev1-sa':
      case 'show-ikev2-sa':
      case 'show-crypto-map':
      case 'show-crypto-session':
        return renderShow(this.config, this.model.truth(atMs), {
          id: match.id,
          detail: match.detail,
          args: match.args,
        });
      default:
        throw new Error(`not an output command: ${line}`);
    }
  }
}
