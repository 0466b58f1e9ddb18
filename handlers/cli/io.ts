/** What a command writes to, so tests can run commands in-process and read what they printed. */
export interface Io {
  readonly stdout: { write(text: string): unknown };
  /** `isTTY` as Node sets it on process.stderr: progress is shown only on a terminal (tests set it either way). */
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  /**
   * The folder `start` writes into and `digest --preview` reads from and writes into unless told otherwise. Tests
   * give a temporary one, so that `npm test` never touches a person's out/. @default DEFAULT_OUT
   */
  readonly outDir?: string;
}

/** `out`, in the folder the command runs in (npm start runs in the project's). */
export const DEFAULT_OUT = 'out';

/** sysexits-style codes: 64 is EX_USAGE. */
export const EXIT = { ok: 0, failure: 1, unreadable: 2, usage: 64 } as const;
