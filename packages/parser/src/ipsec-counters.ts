/**
 * Builds the `counters` object of a `show crypto ipsec sa` flow.
 *
 * A flow prints ~30 counters. Adding them one by one as new properties costs V8 a hidden-class step each and,
 * past a dozen added by computed name, turns the object into a dictionary (slow to build, ~1.6 KB per flow).
 * So a flow's counters are collected first, then written into a copy of a template object that already has
 * those keys: every flow of one output prints the same labels in the same order, so one template serves all.
 */
import type { IpsecCounters } from './types.js';

/** The counters every flow has (null when not printed), in the order they appear in the output. */
const NAMED = ['encaps', 'encrypt', 'digest', 'decaps', 'decrypt', 'verify', 'sendErrors', 'recvErrors'];

export function emptyCounters(): IpsecCounters {
  return {
    encaps: null,
    encrypt: null,
    digest: null,
    decaps: null,
    decrypt: null,
    verify: null,
    sendErrors: null,
    recvErrors: null,
  };
}

export class CountersBuilder {
  // Reused from flow to flow (emptied by resetting `count`, so their storage is not given back and regrown).
  private readonly names: string[] = [];
  private readonly values: number[] = [];
  private count = 0;
  /** The names the template was made for, in printing order; the template has the NAMED keys first. */
  private templateNames: string[] = [];
  private template: IpsecCounters | null = null;

  /** A counter as printed; a name printed twice keeps its last value. */
  add(name: string, value: number): void {
    this.names[this.count] = name;
    this.values[this.count] = value;
    this.count++;
  }

  /** The counters added since the last build. */
  build(): IpsecCounters {
    const { names, values, count } = this;
    if (!this.template || !sameNames(names, count, this.templateNames)) {
      const entries: [string, null][] = NAMED.map((name) => [name, null]);
      for (let i = 0; i < count; i++) entries.push([names[i]!, null]);
      // Object.fromEntries defines the keys as one fast object, not as a dictionary.
      this.template = Object.fromEntries(entries) as IpsecCounters;
      this.templateNames = names.slice(0, count);
    }
    const counters: IpsecCounters = { ...this.template };
    for (let i = 0; i < count; i++) counters[names[i]!] = values[i]!;
    this.count = 0;
    return counters;
  }
}

/** The first `count` of `a` are `b`. */
function sameNames(a: string[], count: number, b: string[]): boolean {
  if (count !== b.length) return false;
  for (let i = 0; i < count; i++) if (a[i] !== b[i]) return false;
  return true;
}
