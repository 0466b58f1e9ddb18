/**
 * vitest's global setup: `npm test` must never write into the project's out/, which holds what a person's own
 * `npm start` wrote. Every file and folder under out/ is noted (size and modification time) before the tests and
 * compared after them; any difference fails the run, naming the paths. out/ci/ is left out: .ci/run has vitest write
 * its JSON report there, which is CI's doing, not a test's.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const OUT = join(PROJECT_ROOT, 'out');
const CI_RESULTS = join(OUT, 'ci');

/** Every path under `folder` (and the folder itself), with what would change if something wrote there. */
export function outFolderState(folder: string = OUT, skip: string = CI_RESULTS): Map<string, string> {
  const state = new Map<string, string>();
  if (!existsSync(folder)) return state;
  const visit = (path: string) => {
    if (path === skip) return;
    const stats = statSync(path);
    const name = relative(folder, path) || '.';
    if (stats.isDirectory()) {
      state.set(name, 'folder');
      for (const entry of readdirSync(path)) visit(join(path, entry));
    } else {
      state.set(name, `${stats.size} bytes, modified ${stats.mtimeMs}`);
    }
  };
  visit(folder);
  return state;
}

/** The paths that appeared, disappeared or changed between two states. */
export function changedPaths(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): string[] {
  const paths = new Set([...before.keys(), ...after.keys()]);
  return [...paths].filter((path) => before.get(path) !== after.get(path)).sort();
}

export default function guardOutFolder(): () => void {
  const before = outFolderState();
  return () => {
    const changed = changedPaths(before, outFolderState());
    if (changed.length === 0) return;
    console.error(
      `\nThe tests wrote into ${OUT}, which belongs to the person running them (use a temporary folder):\n  ${changed.join('\n  ')}\n` +
        '(unless something else, such as an npm start of your own, wrote there during the tests)\n',
    );
    // vitest only logs an error thrown here and exits 0; the exit code is what npm test and .ci/run go by.
    process.exitCode = 1;
  };
}
