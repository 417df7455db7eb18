import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from './errors.js';

/**
 * A command line read as `config` says (`-h`/`--help` is added to every one), for the project's
 * npm scripts: a mistake is a {@link UserError} that ends with the usage, and `--help` prints the
 * usage and exits 0.
 *
 * @example
 * const { values } = parseCommandLine({ options: { days: { type: 'string' } } }, USAGE);
 * @throws {UserError} for an unknown option or a missing value, with the usage.
 */
export function parseCommandLine<const T extends ParseArgsConfig>(
  config: T,
  usage: string,
): ReturnType<typeof parseArgs<T>> {
  let parsed: ReturnType<typeof parseArgs<T>>;
  try {
    parsed = parseArgs<T>({ ...config, options: { ...config.options, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    throw new UserError(`${(error as Error).message}\n\n${usage}`);
  }
  if ((parsed.values as { help?: boolean }).help === true) {
    process.stdout.write(usage);
    process.exit(0);
  }
  return parsed;
}
