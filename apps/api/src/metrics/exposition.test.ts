import { describe, expect, it } from 'vitest';
import { escapeLabelValue, familyHeader, formatSampleValue } from './exposition.js';

describe('exposition text format', () => {
  it('escapes backslash, double quote and line feed in label values, nothing else', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    expect(escapeLabelValue('Tunnel0-head-0 / 2001:db8::1')).toBe('Tunnel0-head-0 / 2001:db8::1');
  });

  it('formats special sample values as Prometheus spells them', () => {
    expect(formatSampleValue(Number.NaN)).toBe('NaN');
    expect(formatSampleValue(Number.POSITIVE_INFINITY)).toBe('+Inf');
    expect(formatSampleValue(Number.NEGATIVE_INFINITY)).toBe('-Inf');
    expect(formatSampleValue(1700000000.123)).toBe('1700000000.123');
  });

  it('writes HELP then TYPE, escaping the help text', () => {
    expect(familyHeader({ name: 'x_total', type: 'counter', help: 'a\\b\nc', labels: [] })).toBe(
      '# HELP x_total a\\\\b\\nc\n# TYPE x_total counter\n',
    );
  });
});
