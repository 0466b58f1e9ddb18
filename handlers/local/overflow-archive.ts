/**
 * SES stores mail up to 40 MB in S3; fauxqs, the local S3, refuses request bodies over about 11 MiB
 * (README.md, "Run it locally"). In the local run a mail too large for the emulator stays on disk where it is, and
 * the router reads it from there through the same port, exactly as far as it reads S3 in production: the first
 * `maxBytes`, with the whole size. Nothing here runs in Lambda.
 */
import { open, stat } from 'node:fs/promises';
import type { MailArchive } from '../ports/router.js';

/** Below fauxqs's limit with room to spare. */
export const LOCAL_ARCHIVE_MAX_BYTES = 10 * 1024 * 1024;

export function withDiskOverflow(archive: MailArchive, onDisk: ReadonlyMap<string, string>): MailArchive {
  return {
    async readInbound(messageId, maxBytes) {
      const path = onDisk.get(messageId);
      if (path === undefined) return archive.readInbound(messageId, maxBytes);
      const sizeBytes = (await stat(path)).size;
      const file = await open(path, 'r');
      try {
        const bytes = Buffer.alloc(Math.min(maxBytes, sizeBytes));
        const { bytesRead } = await file.read(bytes, 0, bytes.length, 0);
        return { bytes: bytes.subarray(0, bytesRead), sizeBytes };
      } finally {
        await file.close();
      }
    },
    quarantine: (messageId, bytes) => archive.quarantine(messageId, bytes),
    inboundLocation(messageId) {
      const path = onDisk.get(messageId);
      return path === undefined ? archive.inboundLocation(messageId) : `file://${path}`;
    },
  };
}
