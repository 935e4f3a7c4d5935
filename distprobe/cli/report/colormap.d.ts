/**
 * Perceptually uniform colour scale: matplotlib's viridis sampled at 9 evenly spaced stops,
 * linearly interpolated in sRGB in between (close enough to the full 256-entry table for reports).
 */
export declare const VIRIDIS_STOPS: readonly string[];
/** Colour for t in [0, 1] (clamped; NaN maps to the low end) as `#rrggbb`. */
export declare function viridis(t: number): string;
