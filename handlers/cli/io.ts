/** What a command writes to, so tests can run commands in-process and read what they printed. */
export interface Io {
  readonly stdout: { write(text: string): unknown };
  /** `isTTY` as Node sets it on process.stderr: progress is shown only on a terminal (tests set it either way). */
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
}

/** sysexits-style codes: 64 is EX_USAGE. */
export const EXIT = { ok: 0, failure: 1, unreadable: 2, usage: 64 } as const;
