// Writing the big tables with O_DIRECT: straight from the page writer's buffer to the disk, bypassing the
// page cache. Why: on the machines we measured (ext4 in a VM) a buffered write costs the kernel 0.8–2.4 ms
// of CPU per MB — mostly getting fresh pages for the cache — so writing the 1.4 GB store of a 700 MB
// snapshot cost ~2–3 s of CPU on a 2-core machine whose cores the analysis and summaries need. A direct
// write costs ~0.15 ms per MB, and the disk takes 2 GB/s. The data is the same; only the way it travels.
//
// O_DIRECT wants the buffer's address, the file offset and the length aligned to the device's block.
// Offsets and lengths are whole 16 KiB pages; JavaScript cannot ask for an aligned buffer, so
// `openDirect` finds an aligned position inside a slightly larger one by trying (a refused write costs one
// syscall). Where O_DIRECT is not supported (tmpfs, some network file systems) or no position works, the
// file is written through the page cache as before; so is the rest of it where the first direct writes
// turn out slow (a disk that is fast only with many requests in flight: PageRun.flush in sqlite-pages.ts).

import { closeSync, constants, openSync, writeSync } from 'node:fs';

const ALIGN = 4096;

export interface PageFile {
  fd: number;
  /** A buffer of the asked size whose address suits the fd (aligned when `direct`). */
  stage: Uint8Array;
  direct: boolean;
}

/**
 * Opens (creates, truncates) `path` for writing pages, with O_DIRECT when the file system takes it and an
 * aligned buffer of `stageBytes` is found; `probeAt` is a file offset the caller overwrites later (the
 * probe writes zeros there).
 */
export function openPageFile(path: string, stageBytes: number, probeAt: number): PageFile {
  const direct = constants.O_DIRECT;
  if (direct !== undefined && process.env.HEAPDIFF_NO_DIRECT_IO === undefined) {
    let fd = -1;
    try {
      fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | direct, 0o644);
    } catch {
      fd = -1; // not supported here (EINVAL): buffered below
    }
    if (fd >= 0) {
      const stage = alignedStage(fd, stageBytes, probeAt);
      if (stage) return { fd, stage, direct: true };
      closeSync(fd);
    }
  }
  return { fd: openSync(path, 'w'), stage: new Uint8Array(stageBytes), direct: false };
}

/** A view of `bytes` bytes at an address the O_DIRECT fd accepts, or null. */
function alignedStage(fd: number, bytes: number, probeAt: number): Uint8Array | null {
  const buffer = new ArrayBuffer(bytes + ALIGN);
  const probe = new Uint8Array(buffer);
  // Typed array memory is aligned to at least 8 bytes; try every 8th offset of one 4 KiB span.
  for (let offset = 0; offset < ALIGN; offset += 8) {
    try {
      if (writeSync(fd, probe, offset, ALIGN, probeAt) === ALIGN) return new Uint8Array(buffer, offset, bytes);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EINVAL') throw e;
    }
  }
  return null;
}

/** Reopens a page file without O_DIRECT (a direct write was refused midway): the rest goes through the cache. */
export function reopenBuffered(path: string, fd: number): number {
  closeSync(fd);
  return openSync(path, 'r+');
}
