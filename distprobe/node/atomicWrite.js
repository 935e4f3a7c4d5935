// Atomic writes (Node only): write a temp file `.<name>.<pid>.<hex>.tmp` in the target's directory,
// fsync it, rename it over the target (atomic on POSIX within one filesystem), then best-effort fsync
// the directory. On any failure the temp file is removed and the target is left untouched. A process
// killed mid-write leaves its temp file behind; the next write of the same target removes it.
import * as fs from "node:fs";
import * as fsp from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";
/** Temp files this process is writing right now (never removed as stale). */
const inFlight = new Set();
function tempPathFor(path) {
    return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
}
function escapeRegExp(s) {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
function isAlive(pid) {
    if (pid === process.pid)
        return true;
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (e) {
        return e.code === "EPERM"; // exists, owned by someone else
    }
}
/**
 * Removes temp files of `path` left by earlier writes that never finished: those of dead processes, and
 * this process's own that are not being written now. Best-effort: errors are ignored.
 */
export function removeStaleTempFiles(path) {
    const dir = dirname(path);
    const pattern = new RegExp(`^\\.${escapeRegExp(basename(path))}\\.(\\d+)\\.[0-9a-f]+\\.tmp$`);
    let names;
    try {
        names = fs.readdirSync(dir);
    }
    catch {
        return;
    }
    for (const name of names) {
        const match = pattern.exec(name);
        if (!match)
            continue;
        const full = join(dir, name);
        const pid = Number(match[1]);
        if (inFlight.has(full) || (pid !== process.pid && isAlive(pid)))
            continue;
        try {
            fs.rmSync(full, { force: true });
        }
        catch { /* best effort */ }
    }
}
/** Throws a clear error when `path` cannot be a file target (a directory, or a name ending in "/"). */
function checkTarget(path) {
    if (typeof path !== "string" || path === "")
        throw new Error(`expected a file path, got ${JSON.stringify(path)}`);
    if (/[\\/]$/.test(path))
        throw new Error(`${path} ends with a path separator; give a file name`);
    let stat;
    try {
        stat = fs.statSync(path);
    }
    catch {
        stat = undefined;
    }
    if (stat?.isDirectory())
        throw new Error(`${path} is a directory; give a file name inside it`);
}
/** Atomically replace `path` with `bytes` (strings are written as UTF-8). */
export async function writeFileAtomic(path, bytes) {
    checkTarget(path);
    removeStaleTempFiles(path);
    const tmp = tempPathFor(path);
    inFlight.add(tmp);
    let handle;
    try {
        handle = await fsp.open(tmp, "wx", await existingMode(path));
        await handle.writeFile(bytes);
        await handle.sync();
        await handle.close();
        handle = undefined;
        await fsp.rename(tmp, path);
    }
    catch (err) {
        await handle?.close().catch(() => undefined);
        await fsp.rm(tmp, { force: true }).catch(() => undefined);
        throw err;
    }
    finally {
        inFlight.delete(tmp);
    }
    await fsyncDir(dirname(path));
}
/** Synchronous variant of {@link writeFileAtomic}. */
export function writeFileAtomicSync(path, bytes) {
    checkTarget(path);
    removeStaleTempFiles(path);
    const tmp = tempPathFor(path);
    let fd;
    try {
        fd = fs.openSync(tmp, "wx", existingModeSync(path));
        fs.writeFileSync(fd, bytes);
        fs.fsyncSync(fd);
        fs.closeSync(fd);
        fd = undefined;
        fs.renameSync(tmp, path);
    }
    catch (err) {
        if (fd !== undefined) {
            try {
                fs.closeSync(fd);
            }
            catch { /* already failing */ }
        }
        try {
            fs.rmSync(tmp, { force: true });
        }
        catch { /* already failing */ }
        throw err;
    }
    fsyncDirSync(dirname(path));
}
/** Keep the permission bits of a file being replaced; new files get 0o666 & ~umask. */
async function existingMode(path) {
    try {
        return (await fsp.stat(path)).mode & 0o7777;
    }
    catch {
        return 0o666;
    }
}
function existingModeSync(path) {
    try {
        return fs.statSync(path).mode & 0o7777;
    }
    catch {
        return 0o666;
    }
}
/** Persist the rename itself; not possible on every platform (e.g. Windows), so best-effort. */
async function fsyncDir(dir) {
    try {
        const h = await fsp.open(dir, "r");
        try {
            await h.sync();
        }
        finally {
            await h.close();
        }
    }
    catch { /* unsupported here */ }
}
function fsyncDirSync(dir) {
    try {
        const fd = fs.openSync(dir, "r");
        try {
            fs.fsyncSync(fd);
        }
        finally {
            fs.closeSync(fd);
        }
    }
    catch { /* unsupported here */ }
}
