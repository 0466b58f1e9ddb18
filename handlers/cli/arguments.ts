/**
 * Every command's arguments through node:util's parseArgs, with the problems said the same way everywhere: the
 * option by name, then the command's own usage. `-h`/`--help` anywhere asks for that usage instead of running.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { EXIT, type Io } from './io.js';

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
}
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

type ValueOf<S extends OptionSpec> = S['type'] extends 'string' ? string : boolean;
/** What was given, by option name; an option not given is absent. */
export type OptionValues<S extends OptionSpecs> = {
  readonly [K in keyof S]?: S[K]['multiple'] extends true ? ValueOf<S[K]>[] : ValueOf<S[K]>;
};

export interface CommandSpec<S extends OptionSpecs> {
  /** The command's name as typed after `acm-mail`. */
  readonly name: string;
  readonly usage: string;
  readonly options: S;
}

export type CommandArguments<S extends OptionSpecs> =
  | { readonly kind: 'help' }
  | { readonly kind: 'problem'; readonly problem: string }
  | { readonly kind: 'read'; readonly values: OptionValues<S>; readonly positionals: readonly string[] };

const HELP = { help: { type: 'boolean', short: 'h' } } as const;

export function readCommandArguments<S extends OptionSpecs>(args: readonly string[], options: S): CommandArguments<S> {
  const all: NonNullable<ParseArgsConfig['options']> = { ...options, ...HELP };
  // A lenient pass first, for its tokens: each problem is then named in our words, and --help wins over any of them.
  const { tokens } = parseArgs({ args: [...args], options: all, strict: false, allowPositionals: true, tokens: true });
  const given = tokens.flatMap((token) => (token.kind === 'option' ? [token] : []));
  if (given.some((token) => token.name === 'help')) return { kind: 'help' };
  for (const token of given) {
    const spec: OptionSpec | undefined = options[token.name];
    if (spec === undefined) return { kind: 'problem', problem: `unknown option "${token.rawName}"` };
    if (spec.type === 'boolean' && token.value !== undefined) {
      return { kind: 'problem', problem: `${token.rawName} takes no value` };
    }
    if (spec.type === 'string' && token.value === undefined) {
      return { kind: 'problem', problem: `${token.rawName} needs a value` };
    }
    // `--out --config x` means a forgotten value far more often than a folder named "--config".
    if (spec.type === 'string' && !token.inlineValue && token.value?.startsWith('-')) {
      return {
        kind: 'problem',
        problem: `${token.rawName} needs a value, not the option "${token.value}" (write ${token.rawName}=${token.value} if that is the value)`,
      };
    }
  }
  const { values, positionals } = parseArgs({ args: [...args], options: all, strict: true, allowPositionals: true });
  const chosen: Record<string, unknown> = { ...values };
  delete chosen.help;
  return { kind: 'read', values: chosen as OptionValues<S>, positionals };
}

/** A usage problem: what was wrong, then the command's usage, on stderr. */
export function usageError(io: Io, command: CommandSpec<OptionSpecs>, problem: string): number {
  io.stderr.write(`acm-mail ${command.name}: ${problem}\n${command.usage}\n`);
  return EXIT.usage;
}

/** The command's usage on stdout, as asked for. */
export function showHelp(io: Io, command: CommandSpec<OptionSpecs>): number {
  io.stdout.write(`${command.usage}\n`);
  return EXIT.ok;
}
