/** What a command writes to, so tests can run commands in-process and read what they printed. */
export interface Io {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

/** sysexits-style codes: 64 is EX_USAGE. */
export const EXIT = { ok: 0, failure: 1, unreadable: 2, usage: 64 } as const;
