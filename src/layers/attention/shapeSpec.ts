// Port shape specifications (Wolfram's "Key" -> {"Varying", 4} and friends):
//   a number n          the vector size only (positions unconstrained)
//   an array of sizes   the whole port shape; "varying" (first axis only) accepts any length per
//                       example; "auto" is fixed by the first data seen
import { formatShape } from "../../tensor/shape.js";
import { describe } from "../../util/validate.js";
import type { Size, Sizes } from "../layer.js";

/** A port's shape for attentionLayer: a vector size n, or a list of axis sizes where "varying" (first) is a sequence axis and "auto" is inferred. */
export type ShapeSpec = number | readonly (number | "varying" | "auto")[];

/**
 * One port's declared shape. What data fix ("auto" axes, the vector size) lives in the layer's sizes, by
 * `${port}Size` (the vector size) and `${port}:${axis}` (an "auto" axis), so a refused call fixes nothing.
 */
export class PortShape {
  private readonly dims: readonly (number | "varying" | "auto")[] | undefined;
  private readonly declaredSize: number | undefined;

  constructor(readonly port: string, spec: ShapeSpec | undefined, where: string) {
    if (spec === undefined || typeof spec === "number") {
      if (spec !== undefined && (!Number.isInteger(spec) || spec < 1)) throw new Error(`${where}: ${port} size must be a positive integer, got ${describe(spec)}`);
      this.declaredSize = spec;
      return;
    }
    if (!Array.isArray(spec) || spec.length === 0) throw new Error(`${where}: ${port} shape must be a number or a non-empty array, got ${describe(spec)}`);
    spec.forEach((d, i) => {
      const ok = d === "auto" || (d === "varying" && i === 0) || (Number.isInteger(d) && (d as number) > 0);
      if (!ok) throw new Error(`${where}: ${port} shape ${JSON.stringify(spec)}: axis ${i} must be a positive integer, "auto"${i === 0 ? ' or "varying"' : ""}`);
    });
    this.dims = [...spec];
    const last = spec[spec.length - 1];
    if (typeof last === "number") this.declaredSize = last;
  }

  get rank(): number | undefined {
    return this.dims?.length;
  }

  /** The sizes this port starts with: its vector size and its "auto" axes, all "auto" until data fix them. */
  initialSizes(): Record<string, Size> {
    const sizes: Record<string, Size> = { [`${this.port}Size`]: this.declaredSize ?? "auto" };
    this.dims?.forEach((d, i) => { if (d === "auto") sizes[`${this.port}:${i}`] = "auto"; });
    return sizes;
  }

  /** the size of the last axis, once known */
  vectorSize(sizes: Sizes): number | undefined {
    const size = sizes[`${this.port}Size`];
    return size === "auto" ? undefined : size;
  }

  /** The declared axes with the "auto" ones fixed so far. */
  private resolved(sizes: Sizes): (number | "varying" | "auto")[] | undefined {
    return this.dims?.map((d, i) => (d === "auto" ? sizes[`${this.port}:${i}`] ?? "auto" : d));
  }

  /** Checks a data shape against the spec and the sizes fixed so far; returns the sizes this shape fixes. */
  check(shape: readonly number[], sizes: Sizes, where: string, port = this.port): Record<string, number> {
    const fixed: Record<string, number> = {};
    const dims = this.resolved(sizes);
    if (dims) {
      if (shape.length !== dims.length) {
        throw new Error(`${where}: port "${port}" expects rank ${dims.length} ${JSON.stringify(dims)}, got ${formatShape(shape)}`);
      }
      dims.forEach((d, i) => {
        if (d === "varying") return;
        if (d === "auto") dims[i] = fixed[`${this.port}:${i}`] = shape[i];
        else if (d !== shape[i]) throw new Error(`${where}: port "${port}" expects shape ${JSON.stringify(dims)}, got ${formatShape(shape)} (axis ${i})`);
      });
    }
    const size = shape[shape.length - 1], known = this.vectorSize(sizes);
    if (known !== undefined && known !== size) {
      throw new Error(`${where}: port "${port}" has vectors of size ${size} but the layer expects ${known} (${port} ${formatShape(shape)})`);
    }
    fixed[`${this.port}Size`] = size;
    return fixed;
  }

  describe(sizes: Sizes): ShapeSpec | undefined {
    return this.resolved(sizes) ?? this.vectorSize(sizes);
  }
}
