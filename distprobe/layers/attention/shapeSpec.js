// Port shape specifications (Wolfram's "Key" -> {"Varying", 4} and friends):
//   a number n          the vector size only (positions unconstrained)
//   an array of sizes   the whole port shape; "varying" (first axis only) accepts any length per
//                       example; "auto" is fixed by the first data seen
import { formatShape } from "../../tensor/shape.js";
import { describe } from "../../util/validate.js";
export class PortShape {
    port;
    dims;
    constructor(port, spec, where) {
        this.port = port;
        if (spec === undefined)
            return;
        if (typeof spec === "number") {
            if (!Number.isInteger(spec) || spec < 1)
                throw new Error(`${where}: ${port} size must be a positive integer, got ${describe(spec)}`);
            this.vectorSize = spec;
            return;
        }
        if (!Array.isArray(spec) || spec.length === 0)
            throw new Error(`${where}: ${port} shape must be a number or a non-empty array, got ${describe(spec)}`);
        spec.forEach((d, i) => {
            const ok = d === "auto" || (d === "varying" && i === 0) || (Number.isInteger(d) && d > 0);
            if (!ok)
                throw new Error(`${where}: ${port} shape ${JSON.stringify(spec)}: axis ${i} must be a positive integer, "auto"${i === 0 ? ' or "varying"' : ""}`);
        });
        this.dims = [...spec];
        const last = spec[spec.length - 1];
        if (typeof last === "number")
            this.vectorSize = last;
    }
    /** the size of the last axis, once known */
    vectorSize;
    get rank() {
        return this.dims?.length;
    }
    /** Checks a data shape against the spec and fixes "auto" sizes from it. */
    check(shape, where, port = this.port) {
        if (this.dims) {
            if (shape.length !== this.dims.length) {
                throw new Error(`${where}: port "${port}" expects rank ${this.dims.length} ${JSON.stringify(this.dims)}, got ${formatShape(shape)}`);
            }
            this.dims.forEach((d, i) => {
                if (d === "varying")
                    return;
                if (d === "auto")
                    this.dims[i] = shape[i];
                else if (d !== shape[i])
                    throw new Error(`${where}: port "${port}" expects shape ${JSON.stringify(this.dims)}, got ${formatShape(shape)} (axis ${i})`);
            });
        }
        const size = shape[shape.length - 1];
        if (this.vectorSize !== undefined && this.vectorSize !== size) {
            throw new Error(`${where}: port "${port}" has vectors of size ${size} but the layer expects ${this.vectorSize}`);
        }
        this.vectorSize = size;
    }
    /** Restores the sizes fixed so far (a refused call must not fix them). */
    snapshot() {
        const dims = this.dims && [...this.dims], vectorSize = this.vectorSize;
        return () => {
            this.dims = dims && [...dims];
            this.vectorSize = vectorSize;
        };
    }
    describe() {
        return this.dims ? [...this.dims] : this.vectorSize;
    }
}
