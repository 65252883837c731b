import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type IpsecSaOutput, type ParsedCommand, parse } from '../src/index.js';
import { loadFixtures } from './fixture-files.js';

const fixtures = loadFixtures();
const commands = [...new Set(fixtures.map((f) => f.command))];
const fixtureLines = [...new Set(fixtures.flatMap((f) => f.text.split('\n')))];
const RUNS = { numRuns: 100 };

/**
 * The invariants every parse must keep, whatever the input: it returns, and warnings point at real lines.
 * Plain checks instead of `expect` in the loop keep thousands of warnings per run cheap.
 */
function checkInvariants(text: string, result: ParsedCommand | null): void {
  if (result === null) throw new Error('no result');
  const lines = text.split('\n');
  for (const warning of result.warnings) {
    const line = lines[warning.line - 1];
    if (line === undefined || warning.text !== line.trim() || warning.text === '' || warning.message === '') {
      throw new Error(`warning does not point at its line: ${JSON.stringify(warning)}`);
    }
  }
  JSON.stringify(result.value);
}

function parseAll(text: string): void {
  for (const command of commands) checkInvariants(text, parse(command, text));
}

/** Lines of real outputs mixed with random strings, joined with LF or CRLF. */
const noisyText = fc
  .tuple(
    fc.array(fc.oneof(fc.constantFrom(...fixtureLines), fc.string(), fc.string({ unit: 'binary' })), {
      maxLength: 40,
    }),
    fc.constantFrom('\n', '\r\n', '\r\r\n'),
  )
  .map(([lines, eol]) => lines.join(eol));

describe('parser properties', () => {
  it('returns for arbitrary text, with warnings on real lines', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), parseAll), RUNS);
  });

  it('returns for real output lines in random order mixed with noise', () => {
    fc.assert(fc.property(noisyText, parseAll), RUNS);
  });

  it('returns for truncated real outputs', () => {
    const truncated = fc
      .constantFrom(...fixtures)
      .chain((f) => fc.nat({ max: f.text.length }).map((end) => ({ f, text: f.text.slice(0, end) })));
    fc.assert(
      fc.property(truncated, ({ f, text }) => checkInvariants(text, parse(f.command, text))),
      RUNS,
    );
  });

  it('returns for real outputs with lines shuffled, duplicated or deleted', () => {
    const mangled = fc.constantFrom(...fixtures).chain((f) => {
      const lines = f.text.split('\n');
      const index = fc.nat({ max: lines.length - 1 });
      return fc
        .array(fc.tuple(fc.constantFrom('swap', 'duplicate', 'delete'), index, index), { maxLength: 20 })
        .map((edits) => {
          const out = [...lines];
          for (const [edit, a, b] of edits) {
            if (a >= out.length || b >= out.length) continue;
            if (edit === 'swap') [out[a], out[b]] = [out[b]!, out[a]!];
            else if (edit === 'duplicate') out.splice(a, 0, out[a]!);
            else out.splice(a, 1);
          }
          return { f, text: out.join('\n') };
        });
    });
    fc.assert(
      fc.property(mangled, ({ f, text }) => checkInvariants(text, parse(f.command, text))),
      RUNS,
    );
  });

  it('reads the same value when whitespace, blank lines and line ends change', () => {
    const blank = fc.constantFrom('', ' ', '\t', '  \t ');
    const reformatted = fc.constantFrom(...fixtures).chain((f) => {
      const lines = f.text.split('\n');
      return fc
        .array(fc.tuple(blank, blank, fc.constantFrom('\n', '\r\n'), fc.option(blank, { freq: 3 })), {
          minLength: lines.length,
          maxLength: lines.length,
        })
        .map((layout) => ({
          f,
          text: lines
            .map((line, i) => {
              const [lead, trail, eol, extra] = layout[i]!;
              const body = `${lead}${line.replace(/\r$/, '').trim()}${trail}${eol}`;
              return extra === null ? body : `${body}${extra}${eol}`;
            })
            .join(''),
        }));
    });
    fc.assert(
      fc.property(reformatted, ({ f, text }) => {
        const result = parse(f.command, text);
        expect(result?.warnings).toEqual([]);
        expect(result?.value).toEqual(f.expected);
      }),
      RUNS,
    );
  });
});

/** `direction/protocol/spi` → the peer address of the flow the SA is listed under. */
function ipsecSaPeers(value: IpsecSaOutput): Map<string, string | null> {
  const peers = new Map<string, string | null>();
  for (const iface of value.interfaces) {
    for (const flow of iface.flows) {
      for (const sa of flow.sas)
        peers.set(`${sa.direction}/${sa.protocol}/${sa.spi}`, flow.peer?.address ?? null);
    }
  }
  return peers;
}

describe('deleted lines never move an SA to another peer', () => {
  // Attributing a flow's SAs to the wrong peer needs every line that separates two flows gone (13 or more in
  // these outputs); below that, the parser must drop or report such SAs, never re-attach them.
  const MAX_DELETED = 12;

  /** Up to MAX_DELETED scattered lines, or one run of up to MAX_DELETED lines. */
  function withDeletions(text: string) {
    const lines = text.split('\n');
    const scattered = fc.uniqueArray(fc.nat({ max: lines.length - 1 }), {
      minLength: 1,
      maxLength: MAX_DELETED,
    });
    const run = fc
      .tuple(fc.nat({ max: lines.length - 1 }), fc.integer({ min: 1, max: MAX_DELETED }))
      .map(([start, length]) => Array.from({ length }, (_, i) => start + i));
    return fc.oneof(scattered, run).map((deleted) => {
      const gone = new Set(deleted);
      return lines.filter((_, i) => !gone.has(i)).join('\n');
    });
  }

  const ipsecFixtures = fixtures.filter((f) => f.command === 'show crypto ipsec sa');
  it.each(ipsecFixtures.map((f) => [f.name, f] as const))('show crypto ipsec sa: %s', (_name, fixture) => {
    const full = ipsecSaPeers(fixture.expected as IpsecSaOutput);
    fc.assert(
      fc.property(withDeletions(fixture.text), (text) => {
        const result = parse(fixture.command, text);
        checkInvariants(text, result);
        for (const [key, peer] of ipsecSaPeers(result!.value as IpsecSaOutput)) {
          if (peer !== null && full.has(key)) expect(`${key} ${peer}`).toBe(`${key} ${full.get(key)}`);
        }
      }),
      { numRuns: 40 },
    );
  });

  const sessionFixtures = fixtures.filter((f) => f.command === 'show crypto session');
  it.each(sessionFixtures.map((f) => [f.name, f] as const))('show crypto session: %s', (_name, fixture) => {
    fc.assert(
      fc.property(withDeletions(fixture.text), (text) => {
        const result = parse(fixture.command, text);
        checkInvariants(text, result);
        if (result?.kind !== 'cryptoSession') throw new Error('wrong kind');
        for (const session of result.value.sessions) {
          for (const ike of session.ikeSas) {
            if (ike.remoteAddress !== null) expect(ike.remoteAddress).toBe(session.peer?.address);
          }
        }
      }),
      { numRuns: 40 },
    );
  });
});
