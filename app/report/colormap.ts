/**
 * Perceptually uniform colour scale: matplotlib's viridis sampled at 9 evenly spaced stops,
 * linearly interpolated in sRGB in between (close enough to the full 256-entry table for reports).
 */
export const VIRIDIS_STOPS: readonly string[] = [
  '#440154', '#472d7b', '#3b528b', '#2c728e', '#21918c', '#28ae80', '#5ec962', '#addc30', '#fde725',
];

function hexToRgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

const STOP_RGB = VIRIDIS_STOPS.map(hexToRgb);

/** Colour for t in [0, 1] (clamped; NaN maps to the low end) as `#rrggbb`. */
export function viridis(t: number): string {
  const clamped = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0;
  // Position between stops: segment i covers [i/(n-1), (i+1)/(n-1)].
  const pos = clamped * (STOP_RGB.length - 1);
  const i = Math.min(STOP_RGB.length - 2, Math.floor(pos));
  const f = pos - i;
  const a = STOP_RGB[i];
  const b = STOP_RGB[i + 1];
  const hex = a.map((c, k) => Math.round(c + (b[k] - c) * f).toString(16).padStart(2, '0')).join('');
  return `#${hex}`;
}
