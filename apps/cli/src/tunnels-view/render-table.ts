import type { TunnelItem } from './api-client.js';

/** `3d4h`, `4m12s`, `42s`: time left until an SA expires. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s >= 86_400) return `${Math.floor(s / 86_400)}d${Math.floor((s % 86_400) / 3600)}h`;
  if (s >= 3600) return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

export function formatRate(pps: number | null): string {
  if (pps === null) return '-';
  if (pps >= 1000) return `${(pps / 1000).toFixed(1)}k pkt/s`;
  return `${pps.toFixed(pps < 10 ? 1 : 0)} pkt/s`;
}

export function expiryText(tunnel: TunnelItem, now: number): string {
  if (tunnel.state !== 'up' || tunnel.saExpiresAt === null) return '-';
  const left = (Date.parse(tunnel.saExpiresAt) - now) / 1000;
  return left <= 0 ? 'expired' : formatDuration(left);
}

/** One line per tunnel, down ones first: state, router, peer, VRF, interface, IKE, traffic rate, SA expiry. */
export function renderTunnelsTable(
  tunnels: TunnelItem[],
  rate: (id: string) => number | null,
  now: number,
): string {
  if (tunnels.length === 0) return 'no tunnels\n';
  const order = { down: 0, negotiating: 1, up: 2 } as const;
  const sorted = [...tunnels].sort(
    (a, b) =>
      order[a.state] - order[b.state] ||
      a.routerName.localeCompare(b.routerName) ||
      a.peer.localeCompare(b.peer, undefined, { numeric: true }),
  );
  const header = ['STATE', 'ROUTER', 'PEER', 'VRF', 'INTERFACE', 'IKE', 'TRAFFIC', 'SA EXPIRES IN'];
  const rows = sorted.map((t) => [
    t.state,
    t.routerName,
    t.peer,
    t.fvrf || '-',
    t.interface ?? '-',
    t.ikeVersion ?? '-',
    formatRate(rate(t.id)),
    expiryText(t, now),
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const counts = (['up', 'down', 'negotiating'] as const).map(
    (s) => `${tunnels.filter((t) => t.state === s).length} ${s}`,
  );
  return `${[line(header), ...rows.map(line)].join('\n')}\n${tunnels.length} tunnels: ${counts.join(', ')}\n`;
}
