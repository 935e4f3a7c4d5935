// Lists in error messages: a hostile file can hold millions of names, so a message shows the first few and
// counts the rest ("a, b, c, … and 9997 more"); short lists read exactly as `names.join(", ")`.

/** How many names a message lists before it counts the rest. */
export const LISTED_NAMES = 8;

/** The names joined with ", " (or `separator`), at most `max` of them, then "… and N more". */
export function listNames(names: Iterable<string>, max = LISTED_NAMES, separator = ", "): string {
  const all = Array.isArray(names) ? (names as string[]) : [...names];
  if (all.length <= max) return all.join(separator);
  return `${all.slice(0, max).join(separator)}${separator}… and ${all.length - max} more`;
}
