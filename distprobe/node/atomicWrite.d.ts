/**
 * Removes temp files of `path` left by earlier writes that never finished: those of dead processes, and
 * this process's own that are not being written now. Best-effort: errors are ignored.
 */
export declare function removeStaleTempFiles(path: string): void;
/** Atomically replace `path` with `bytes` (strings are written as UTF-8). */
export declare function writeFileAtomic(path: string, bytes: Uint8Array | string): Promise<void>;
/** Synchronous variant of {@link writeFileAtomic}. */
export declare function writeFileAtomicSync(path: string, bytes: Uint8Array | string): void;
