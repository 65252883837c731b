import { POLL_FAILURE_REASONS } from '@tunnelwatch/model';
import { escapeLabelValue, formatSampleValue } from './exposition.js';
import { FLEET_FAMILIES, FLEET_FAMILY_KEYS, type FleetFamilyKey } from './fleet-families.js';
import type { FlowMetrics, RouterMetricsState, TunnelMetrics } from './router-state.js';

/** The sample lines of one router, per metric family (no HELP/TYPE: families are grouped across routers). */
export type RouterLines = Record<FleetFamilyKey, Buffer>;
type RouterText = Record<FleetFamilyKey, string>;

const F = FLEET_FAMILIES;

function seconds(date: Date): number {
  return date.getTime() / 1000;
}

/** `name{` + escaped pairs; the caller closes the brace. */
function pairs(names: readonly string[], values: readonly string[]): string {
  let out = '';
  for (let i = 0; i < names.length; i++) {
    out += `${i > 0 ? ',' : ''}${names[i]}="${escapeLabelValue(values[i] ?? '')}"`;
  }
  return out;
}

function line(family: { name: string }, labels: string, value: number): string {
  return `${family.name}{${labels}} ${formatSampleValue(value)}\n`;
}

function renderFlow(out: RouterText, tunnelLabels: string, flow: FlowMetrics): void {
  const flowLabels = `${tunnelLabels},local_ident="${escapeLabelValue(flow.localIdent)}",remote_ident="${escapeLabelValue(flow.remoteIdent)}"`;
  const c = flow.counters;
  for (const inbound of [true, false]) {
    const labels = `${flowLabels},direction="${inbound ? 'in' : 'out'}"`;
    out.ipsecPackets += line(F.ipsecPackets, labels, inbound ? c.decaps : c.encaps);
    out.ipsecCryptoPackets += line(F.ipsecCryptoPackets, labels, inbound ? c.decrypt : c.encrypt);
    out.ipsecAuthPackets += line(F.ipsecAuthPackets, labels, inbound ? c.verify : c.digest);
    out.ipsecErrors += line(F.ipsecErrors, labels, inbound ? c.recvErrors : c.sendErrors);
    const d = inbound ? flow.inbound : flow.outbound;
    out.ipsecSaCount += line(F.ipsecSaCount, labels, d.saCount);
    // No SA (a down tunnel): the lifetime series stay, at 0. An SA whose lifetime the router did not print
    // gets no series rather than a misleading 0.
    const none = d.saCount === 0;
    if (none || d.remainingSeconds !== null) {
      out.ipsecSaRemainingSeconds += line(
        F.ipsecSaRemainingSeconds,
        labels,
        none ? 0 : (d.remainingSeconds ?? 0),
      );
    }
    if (none || d.remainingKilobytes !== null) {
      out.ipsecSaRemainingKilobytes += line(
        F.ipsecSaRemainingKilobytes,
        labels,
        none ? 0 : (d.remainingKilobytes ?? 0),
      );
    }
    if (none || d.expiresAt !== null) {
      out.ipsecSaExpiry += line(F.ipsecSaExpiry, labels, none || !d.expiresAt ? 0 : seconds(d.expiresAt));
    }
  }
}

function renderTunnel(out: RouterText, router: string, tunnel: TunnelMetrics): void {
  const base = `router="${router}",peer="${escapeLabelValue(tunnel.peer)}",vrf="${escapeLabelValue(tunnel.fvrf)}"`;
  const iface = `,interface="${escapeLabelValue(tunnel.interface ?? '')}"`;
  out.tunnelUp += line(F.tunnelUp, base + iface, tunnel.state === 'up' ? 1 : 0);
  const ikeVersion = tunnel.ikeVersion ?? '';
  const info = pairs(
    ['crypto_map', 'ike_version', 'state', 'transform', 'mode', 'pfs'],
    [
      tunnel.cryptoMap ?? '',
      ikeVersion,
      tunnel.state,
      tunnel.transform ?? '',
      tunnel.mode ?? '',
      tunnel.pfs ?? '',
    ],
  );
  out.tunnelInfo += line(F.tunnelInfo, `${base}${iface},${info}`, 1);
  if (tunnel.lastChangeAt !== null) {
    out.tunnelLastChange += line(F.tunnelLastChange, base, seconds(tunnel.lastChangeAt));
  }
  out.ikeSaUp += line(F.ikeSaUp, `${base},ike_version="${ikeVersion}"`, tunnel.ikeEstablished ? 1 : 0);
  const noIke = tunnel.ikeEstablished === null;
  if (noIke || tunnel.ikeExpiresAt !== null) {
    out.ikeSaExpiry += line(F.ikeSaExpiry, base, tunnel.ikeExpiresAt ? seconds(tunnel.ikeExpiresAt) : 0);
  }
  for (const flow of tunnel.flows) renderFlow(out, base, flow);
}

/**
 * Writes every fleet sample of one router, as bytes ready to send. Called once per poll of that router, not
 * once per scrape, so a scrape of the whole fleet only copies buffers.
 */
export function renderRouter(state: RouterMetricsState): RouterLines {
  const out = Object.fromEntries(FLEET_FAMILY_KEYS.map((key) => [key, ''])) as RouterText;
  const router = escapeLabelValue(state.name);
  const r = `router="${router}"`;
  out.routerUp += line(F.routerUp, r, state.lastPoll?.ok ? 1 : 0);
  if (state.lastPoll !== null) {
    out.routerLastPoll += line(F.routerLastPoll, r, seconds(state.lastPoll.finishedAt));
    if (state.lastPoll.durationSeconds !== null) {
      out.routerPollDuration += line(F.routerPollDuration, r, state.lastPoll.durationSeconds);
    }
  }
  if (state.lastSuccessAt !== null) {
    out.routerLastSuccess += line(F.routerLastSuccess, r, seconds(state.lastSuccessAt));
  }
  // Every reason is exported from the start, so `increase()` sees the first failure of a kind.
  for (const reason of POLL_FAILURE_REASONS) {
    out.routerPollFailures += line(
      F.routerPollFailures,
      `${r},reason="${reason}"`,
      state.failures[reason] ?? 0,
    );
  }
  for (const [command, count] of Object.entries(state.warnings)) {
    out.routerParseWarnings += line(
      F.routerParseWarnings,
      `${r},command="${escapeLabelValue(command)}"`,
      count,
    );
  }
  for (const tunnel of state.tunnels) renderTunnel(out, router, tunnel);
  const seen = new Set<string>();
  for (const entry of state.cryptoMaps) {
    const key = `${entry.name}\u0000${entry.sequence}`;
    if (entry.lifetimeSeconds === null || seen.has(key)) continue;
    seen.add(key);
    const labels = `${r},crypto_map="${escapeLabelValue(entry.name)}",sequence="${entry.sequence}"`;
    out.cryptoMapLifetime += line(F.cryptoMapLifetime, labels, entry.lifetimeSeconds);
  }
  return Object.fromEntries(FLEET_FAMILY_KEYS.map((key) => [key, Buffer.from(out[key])])) as RouterLines;
}
