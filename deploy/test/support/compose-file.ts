import { parse } from 'yaml';

/** The parts of a Compose file the tests look at (after YAML merge keys are resolved). */
export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  entrypoint?: string[] | string;
  environment?: Record<string, string | number | boolean | null>;
  volumes?: string[];
  ports?: string[];
  expose?: string[];
  profiles?: string[];
  container_name?: string;
  healthcheck?: { test?: string[]; disable?: boolean };
  depends_on?: Record<string, { condition: string }>;
}

export interface ComposeFile {
  name?: string;
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** Parses Compose YAML the way Docker Compose does: `<<` merge keys included. */
export function parseCompose(text: string): ComposeFile {
  return parse(text, { merge: true }) as ComposeFile;
}

/**
 * Resolves Compose interpolation in `value`: `${NAME:-default}` and `${NAME-default}` become the default,
 * `${NAME:?message}` (a variable the operator must set) becomes `required[NAME]`. A bare `${NAME}` throws: every
 * variable must either have a default or be required with a message.
 */
export function interpolate(value: string, required: Record<string, string>): string {
  return value.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-|:\?)([^}]*))?\}/g,
    (whole, name: string, kind?: string, rest?: string) => {
      if (kind === ':-' || kind === '-') return rest ?? '';
      if (kind === ':?') {
        const sample = required[name];
        if (sample === undefined) throw new Error(`no sample value for the required variable ${name}`);
        return sample;
      }
      throw new Error(`${whole} has neither a default nor a required message`);
    },
  );
}

/** The names of the variables interpolated anywhere in the Compose text. */
export function interpolatedVariables(text: string): string[] {
  return [...new Set([...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[1]!))].sort();
}

/** A volume entry `source:target[:mode]` split in its parts. */
export function splitVolume(entry: string): { source: string; target: string; readOnly: boolean } {
  const [source = '', target = '', mode] = entry.split(':');
  return { source, target, readOnly: mode === 'ro' };
}
