// Regions of the kernels' arena (./memory.ts arenaBlock: bytes after the resident weights that keep their
// contents between calls), for decoding's key/value caches kept in kernel memory (src/decode/residentKeys.ts).
// A region is known by an id; its owner asks for its offset on every use (regionOffset), since regions move.
// The owners are ordinary objects the garbage collector frees without telling anyone (a dropped decoder, beam
// search's replaced beams), so the arena cannot know which regions are still wanted. It works as a cache:
//   allocation bumps; when the arena is full, the most recently used regions that fill at most half of it are
//   moved down to its start (kept) and the others dropped; an owner that finds its region dropped copies itself
//   in again (from its JavaScript storage), and such a miss (a region still wanted: its owner is alive) doubles the arena
//   at the next compaction (up to MAX_ARENA_BYTES), so a working set of live caches stops being evicted.
// Compaction therefore runs after at least half the arena's bytes were allocated since the previous one (O(1)
// copies per allocated byte), and the arena holds at most twice what is in use plus one request.
// Everything is dropped when the arena's contents are (a new epoch: the memory was released, or a larger
// resident block took its place).
import { arenaBlock } from "./memory.js";

/** Arenas start at this size (bytes) and double as needed up to MAX_ARENA_BYTES; a larger request gets no region. */
const MIN_ARENA_BYTES = 2 ** 20, MAX_ARENA_BYTES = 2 ** 29;
const ALIGN = 64;

interface Region { offset: number; bytes: number; lastUse: number }
const regions = new Map<number, Region>(); // by id; offsets from the arena's start
let epoch = -1; // the arena epoch the regions belong to
let size = 0; // bytes the arena holds for the regions
let used = 0; // bytes from its start in use (the next allocation's offset)
let nextId = 1, clock = 0;
let epochFirstId = 1; // regions made before the current epoch were lost with the arena, not dropped by a compaction
let missed = false; // since the last compaction, an owner asked for a region a compaction had dropped
let changes = 0; // see arenaChanges
let droppedCount = 0, movedCount = 0; // for the tests: regions compactions dropped and moved so far

/** Forgets every region when the arena's contents are gone; the arena's current start and memory. */
function current(): { start: number; memory: WebAssembly.Memory } {
  const block = arenaBlock(size);
  if (block.epoch !== epoch) {
    changes++;
    epoch = block.epoch;
    regions.clear();
    epochFirstId = nextId;
    used = 0;
    size = block.bytes;
  }
  return block;
}

/** The byte offset of region `id` in the kernels' memory, marking it used; undefined when it was dropped (its owner copies itself in again). */
export function regionOffset(id: number): number | undefined {
  const { start } = current();
  const r = regions.get(id);
  if (!r) {
    missed ||= id >= epochFirstId; // its owner, alive since it asks (owners forget the ids they free), lost it to a compaction
    return undefined;
  }
  r.lastUse = ++clock;
  return start + r.offset;
}

/** Counts allocations (which may move or drop regions) and lost arenas: while it stays the same, every region stays where it is. */
export function arenaChanges(): number {
  return changes;
}

/**
 * A new region of `bytes` (contents undefined), as an id; null when it is larger than the arena may grow, or the
 * engine grants no more memory and it does not fit after a compaction (its owner then attends from the arrays).
 */
export function allocateRegion(bytes: number): number | null {
  changes++;
  current();
  bytes = Math.ceil(bytes / ALIGN) * ALIGN;
  if (bytes > MAX_ARENA_BYTES / 2) return null;
  if (used + bytes > size && !makeRoom(bytes)) return null;
  const id = nextId++;
  regions.set(id, { offset: used, bytes, lastUse: ++clock });
  used += bytes;
  return id;
}

/** Gives region `id` up (its owner moved to a larger one). */
export function freeRegion(id: number): void {
  regions.delete(id);
}

/**
 * Keeps the most recently used regions within half the arena (moved down to its start), grows it after a miss, so
 * that `bytes` fit; false when they do not (the engine refused the memory to grow: the arena kept its size).
 */
function makeRoom(bytes: number): boolean {
  let target = Math.max(size, MIN_ARENA_BYTES);
  if (missed || bytes > target / 2) target = Math.min(MAX_ARENA_BYTES, Math.max(2 * target, 2 * bytes));
  try {
    arenaBlock(target);
  } catch {
    target = size; // no more memory (a browser tab's limit): compact within what there is
  }
  missed = false;
  const byUse = [...regions].sort((a, b) => b[1].lastUse - a[1].lastUse);
  let kept = 0, keep = 0;
  while (keep < byUse.length && kept + byUse[keep][1].bytes <= target / 2) kept += byUse[keep++][1].bytes;
  for (const [id] of byUse.slice(keep)) regions.delete(id);
  droppedCount += byUse.length - keep;
  const { start, memory } = current();
  const heap = new Uint8Array(memory.buffer);
  used = 0;
  for (const r of [...regions.values()].sort((a, b) => a.offset - b.offset)) { // downward moves in address order never overwrite a region not yet moved
    if (r.offset !== used) { heap.copyWithin(start + used, start + r.offset, start + r.offset + r.bytes); movedCount++; }
    r.offset = used;
    used += r.bytes;
  }
  size = target;
  return used + bytes <= size;
}

/** For the tests: the arena's size, the bytes and regions it holds, and how many regions compactions dropped and moved so far. */
export function arenaUsage(): { size: number; used: number; regions: number; dropped: number; moved: number } {
  current();
  return { size, used, regions: regions.size, dropped: droppedCount, moved: movedCount };
}
