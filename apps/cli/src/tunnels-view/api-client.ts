/** A tunnel as `GET /api/v1/tunnels` returns it (the fields this view reads). */
export type TunnelItem = {
  id: string;
  routerName: string;
  peer: string;
  fvrf: string;
  state: 'up' | 'down' | 'negotiating';
  interface: string | null;
  ikeVersion: string | null;
  saExpiresAt: string | null;
  lastChangeAt: string;
};

/** The part of `GET /api/v1/tunnels/{id}` the traffic rate comes from. */
export type TunnelFlows = {
  flows: { counters: { encaps: number; decaps: number }; updatedAt: string }[];
};

export class ApiError extends Error {
  override readonly name = 'ApiError';
}

/** A minimal client of the public REST API (DESIGN.md §7) with a bearer token. */
export class TunnelwatchClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async get<T>(path: string): Promise<T> {
    let response: Response;
    try {
      response = await fetch(new URL(path, this.baseUrl), {
        headers: { authorization: `Bearer ${this.token}`, accept: 'application/json' },
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw new ApiError(`cannot reach ${this.baseUrl}: ${(error as Error).message}`);
    }
    if (!response.ok) {
      const body = (await response.json().catch(() => ({}))) as { message?: string };
      throw new ApiError(`${response.status} from ${path}: ${body.message ?? response.statusText}`);
    }
    return (await response.json()) as T;
  }

  /** Every tunnel matching the filters, following `nextCursor`. */
  async tunnels(filter: { router?: string; state?: string }): Promise<TunnelItem[]> {
    const items: TunnelItem[] = [];
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ limit: '1000' });
      if (filter.router) query.set('router', filter.router);
      if (filter.state) query.set('state', filter.state);
      if (cursor) query.set('cursor', cursor);
      const page: { items: TunnelItem[]; nextCursor: string | null } = await this.get(
        `/api/v1/tunnels?${query}`,
      );
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  }

  tunnelFlows(id: string): Promise<TunnelFlows> {
    return this.get(`/api/v1/tunnels/${encodeURIComponent(id)}`);
  }
}
