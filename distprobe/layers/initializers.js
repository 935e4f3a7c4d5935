import { formatShape, sameShape, sizeOf } from "../tensor/shape.js";
import { Tensor, asTensor } from "../tensor/tensor.js";
import { describe } from "../util/validate.js";
export function initialize(init, shape, fan, random, where) {
    const n = sizeOf(shape);
    const data = new Float32Array(n);
    if (typeof init === "function") {
        const value = init([...shape]);
        const t = value instanceof Float32Array ? new Tensor(value.slice(), [value.length]) : asTensor(value, where);
        if (t.size !== n || (t.rank > 1 && !sameShape(t.shape, shape))) {
            throw new Error(`${where}: the initializer function returned shape ${formatShape(t.shape)}, expected ${formatShape(shape)}`);
        }
        return new Tensor(Float32Array.from(t.data), shape);
    }
    switch (init) {
        case "glorot": {
            const bound = Math.sqrt(6 / (fan.numIn + fan.numOut));
            for (let i = 0; i < n; i++)
                data[i] = (2 * random.uniform() - 1) * bound;
            break;
        }
        case "he": {
            const sigma = Math.sqrt(2 / fan.numIn);
            for (let i = 0; i < n; i++)
                data[i] = random.normal() * sigma;
            break;
        }
        case "narrow-normal":
            for (let i = 0; i < n; i++)
                data[i] = random.normal() * 0.01;
            break;
        case "zeros":
            break;
        case "ones":
            data.fill(1);
            break;
        default:
            throw new Error(`${where}: unknown initializer ${JSON.stringify(init)} (expected "glorot", "he", "narrow-normal", "zeros", "ones" or a function)`);
    }
    return new Tensor(data, shape);
}
export function checkInitializer(init, allowed, where) {
    if (typeof init === "function")
        return;
    if (typeof init !== "string" || !allowed.includes(init)) {
        throw new Error(`${where}: initializer must be one of ${allowed.map((a) => `"${a}"`).join(", ")} or a function, got ${describe(init)}`);
    }
}
