// Parsing a command's arguments the same way for every command: strict options, the positionals
// it expects, and a usage error that repeats the command's usage.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../exit-codes.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCommandLine<O extends Options>(argv: string[], options: O, positionalNames: readonly string[], usage: string) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options });
  } catch (err) {
    throw new UserError(`${(err as Error).message}\n${usage}`);
  }
  if (parsed.positionals.length !== positionalNames.length) {
    throw new UserError(`expected ${positionalNames.join(' ')}, got ${parsed.positionals.length} argument(s)\n${usage}`);
  }
  return parsed;
}
