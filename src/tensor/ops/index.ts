// The op namespace: `ops.add`, `ops.matmul`, ... Every op is differentiable inside valueAndGrad.
export { add, sub, mul, div, maximum, neg, exp, log, sqrt, square, tanh, sigmoid, relu, gelu, scale, erf } from "./elementwise.js";
export { sum, mean } from "./reduce.js";
export { matmul } from "./matmul.js";
export { linear } from "./linear.js";
export { reshape, transpose, slice, concat, stack, broadcastTo, gather } from "./layout.js";
export { softmax, logSoftmax, maskedSoftmax } from "./softmax.js";
export { dropout } from "./dropout.js";
export { keepWhere } from "./keepWhere.js";
export { additiveScores } from "./additiveScores.js";
