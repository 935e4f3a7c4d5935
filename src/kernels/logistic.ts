// The logistic function σ(v) = 1 / (1 + e^−v) in float64, in the form that cannot overflow: e^v / (1 + e^v) for v < 0.
export const logistic = (v: number): number => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));
