import { canonicalAddress } from '@tunnelwatch/model';
import type { FlowTruth, RouterTruth, SaTruth, TunnelTruth } from '@tunnelwatch/sim';
import { type Sample, sampleValue, select } from './exposition.js';

/**
 * What a router's /metrics must say given the simulator's ground truth, for a sim whose clock stood still during
 * the poll: counters and SA counts exactly, the newest SA's remaining lifetime within the time between the
 * router printing it and the api serving it, and every expiry timestamp (poll time + remaining seconds) within a
 * second of the router's last poll timestamp plus the truth's remaining seconds. Returns the differences, one
 * readable line each; empty when /metrics tells the truth.
 */
export function compareWithTruth(
  samples: Sample[],
  truth: RouterTruth,
  options: {
    /** Seconds between the start of the poll round and now. */
    elapsedSeconds: number;
    /** false for a router that prints lifetimes in seconds only: then there is no kilobytes series at all. */
    printsKilobytes: boolean;
  },
): string[] {
  const router = truth.name;
  const problems: string[] = [];
  const check = (what: string, got: number, ok: boolean, expected: string) => {
    if (!ok) problems.push(`${router} ${what}: ${got}, expected ${expected}`);
  };
  const polledAt = sampleValue(samples, 'tunnelwatch_router_last_poll_timestamp_seconds', { router });
  check('router_up', sampleValue(samples, 'tunnelwatch_router_up', { router }), true, '1');

  const exported = select(samples, 'tunnelwatch_tunnel_up', { router }).map(
    (s) => `${s.labels.peer}|${s.labels.vrf}`,
  );
  const expected = truth.tunnels.map((t) => `${canonicalAddress(t.peer)}|${t.fvrf}`);
  if (exported.sort().join() !== expected.sort().join()) {
    problems.push(
      `${router} tunnels: /metrics has [${exported.join(', ')}], the sim [${expected.join(', ')}]`,
    );
  }

  const kilobytes = select(samples, 'tunnelwatch_ipsec_sa_remaining_kilobytes', { router });
  if (!options.printsKilobytes && kilobytes.length > 0) {
    problems.push(`${router}: remaining kilobytes exported although the router prints none`);
  }

  for (const tunnel of truth.tunnels) {
    const labels = { router, peer: canonicalAddress(tunnel.peer), vrf: tunnel.fvrf };
    const where = `${labels.peer}${tunnel.fvrf ? ` vrf ${tunnel.fvrf}` : ''}`;
    const value = (name: string, extra: Record<string, string> = {}) => {
      try {
        return sampleValue(samples, name, { ...labels, ...extra });
      } catch (error) {
        problems.push(`${router} ${where}: ${(error as Error).message}`);
        return Number.NaN;
      }
    };
    const up = tunnel.state === 'up' ? 1 : 0;
    const tunnelUp = value('tunnelwatch_tunnel_up', { interface: tunnel.interface });
    check(`${where} tunnel_up`, tunnelUp, tunnelUp === up, String(up));
    const info = select(samples, 'tunnelwatch_tunnel_info', labels);
    if (info.length !== 1 || info[0]?.labels.state !== tunnel.state) {
      problems.push(
        `${router} ${where}: tunnel_info ${JSON.stringify(info.map((s) => s.labels))}, state ${tunnel.state}`,
      );
    }
    problems.push(...compareIke(tunnel, value, polledAt).map((p) => `${router} ${where} ${p}`));
    for (const flow of tunnel.flows) {
      const flowLabels = {
        local_ident: identOf(flow.local, flow.protocol),
        remote_ident: identOf(flow.remote, flow.protocol),
      };
      const flowWhere = `${where} ${flowLabels.local_ident}>${flowLabels.remote_ident}`;
      for (const direction of ['in', 'out'] as const) {
        const get = (name: string) => value(name, { ...flowLabels, direction });
        problems.push(
          ...compareDirection(flow, direction, get, polledAt, options).map(
            (p) => `${router} ${flowWhere} ${direction} ${p}`,
          ),
        );
      }
    }
    if (tunnel.kind === 'static') {
      const mapLabels = { router, crypto_map: tunnel.cryptoMap, sequence: String(tunnel.sequence) };
      const lifetime = select(samples, 'tunnelwatch_crypto_map_lifetime_seconds', mapLabels);
      if (lifetime.length !== 1 || lifetime[0]?.value !== tunnel.lifetimeSeconds) {
        problems.push(
          `${router} ${where}: crypto_map_lifetime ${JSON.stringify(lifetime)}, expected ${tunnel.lifetimeSeconds}`,
        );
      }
    }
  }
  return problems;
}

function compareIke(tunnel: TunnelTruth, value: (name: string) => number, polledAt: number): string[] {
  const problems: string[] = [];
  const up = value('tunnelwatch_ike_sa_up');
  if (up !== (tunnel.ike ? 1 : 0)) problems.push(`ike_sa_up ${up}, expected ${tunnel.ike ? 1 : 0}`);
  const expiry = value('tunnelwatch_ike_sa_expiry_timestamp_seconds');
  const expected = tunnel.ike ? polledAt + tunnel.ike.remainingSeconds : 0;
  if (!(Math.abs(expiry - expected) <= 1)) problems.push(`ike_sa_expiry ${expiry}, expected ${expected} ± 1`);
  return problems;
}

const COUNTERS = {
  out: { packets: 'encaps', crypto: 'encrypt', auth: 'digest', errors: 'sendErrors' },
  in: { packets: 'decaps', crypto: 'decrypt', auth: 'verify', errors: 'recvErrors' },
} as const;

function compareDirection(
  flow: FlowTruth,
  direction: 'in' | 'out',
  value: (name: string) => number,
  polledAt: number,
  { elapsedSeconds, printsKilobytes }: { elapsedSeconds: number; printsKilobytes: boolean },
): string[] {
  const problems: string[] = [];
  const counters = COUNTERS[direction];
  const exact = (name: string, expected: number) => {
    const got = value(name);
    if (got !== expected) problems.push(`${name} ${got}, expected ${expected}`);
  };
  exact('tunnelwatch_ipsec_packets_total', flow.counters[counters.packets]);
  exact('tunnelwatch_ipsec_crypto_packets_total', flow.counters[counters.crypto]);
  exact('tunnelwatch_ipsec_auth_packets_total', flow.counters[counters.auth]);
  exact('tunnelwatch_ipsec_errors_total', flow.counters[counters.errors]);

  const sas = flow.sas.filter((sa) => sa.direction === (direction === 'in' ? 'inbound' : 'outbound'));
  exact('tunnelwatch_ipsec_sa_count', sas.length);
  const newest = sas.reduce<SaTruth | null>(
    (a, b) => (a === null || b.remainingSeconds > a.remainingSeconds ? b : a),
    null,
  );
  if (printsKilobytes) exact('tunnelwatch_ipsec_sa_remaining_kilobytes', newest?.remainingKilobytes ?? 0);

  // The router prints whole seconds; the api serves the lifetime left as of when the poll was saved.
  const remaining = value('tunnelwatch_ipsec_sa_remaining_seconds');
  const truthRemaining = newest?.remainingSeconds ?? 0;
  if (!(remaining <= truthRemaining + 1 && remaining >= truthRemaining - 1 - elapsedSeconds)) {
    problems.push(
      `remaining_seconds ${remaining}, expected ${truthRemaining} (-${elapsedSeconds.toFixed(1)} s elapsed)`,
    );
  }
  const expiry = value('tunnelwatch_ipsec_sa_expiry_timestamp_seconds');
  const expectedExpiry = newest ? polledAt + newest.remainingSeconds : 0;
  if (!(Math.abs(expiry - expectedExpiry) <= 1)) {
    problems.push(`expiry_timestamp ${expiry}, expected ${expectedExpiry} ± 1`);
  }
  return problems;
}

/** A flow ident as the model labels it: canonical CIDR, with `/protocol/0` when the protocol is not "any". */
function identOf(cidr: string, protocol: number): string {
  const [address = '', length] = cidr.split('/');
  const canonical = canonicalAddress(address);
  const prefix = length ?? (canonical.includes(':') ? '128' : '32');
  return protocol === 0 ? `${canonical}/${prefix}` : `${canonical}/${prefix}/${protocol}/0`;
}
