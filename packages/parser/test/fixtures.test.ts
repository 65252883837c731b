import { describe, expect, it } from 'vitest';
import { parse } from '../src/index.js';
import { loadFixtures } from './fixture-files.js';

describe.each(loadFixtures())('$command: $name', ({ command, text, expected }) => {
  it('parses to the expected value with zero warnings', () => {
    const result = parse(command, text);
    expect(result).not.toBeNull();
    expect(result!.warnings).toEqual([]);
    expect(result!.value).toEqual(expected);
  });
});
