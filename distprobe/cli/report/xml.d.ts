/** Tiny helpers for building SVG/HTML strings safely. */
/** Escapes text for XML/HTML element content and (double- or single-quoted) attribute values. */
export declare function escapeXml(text: string): string;
export type Attrs = Record<string, string | number | undefined>;
/** Rounds coordinates to 2 decimals so the output stays compact (sub-pixel precision is plenty). */
export declare function num(v: number): string;
/**
 * Builds one element. `children` is already-serialised markup (use `escapeXml` for text);
 * without children the element is self-closed.
 */
export declare function el(tag: string, attrs?: Attrs, children?: string | string[]): string;
/** A `<text>` element with escaped content. */
export declare function text(content: string, attrs: Attrs): string;
