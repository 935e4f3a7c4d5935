// The recurrent layers' initializers with MATLAB's names and defaults: InputWeightsInitializer "glorot",
// RecurrentWeightsInitializer "orthogonal" (Q of the QR decomposition of a standard-normal matrix, applied to the
// stacked [D·G·H, H] matrix as MATLAB's sz = [4·H, H]), BiasInitializer "unit-forget-gate" (LSTM) or "zeros".
// The orthogonal initializer is checked against its definition: with Z the same seeded normals, R = QᵀZ must be
// upper triangular with a positive diagonal and QR = Z (the unique such factorization), and QᵀQ = I.
import { describe, expect, it } from "vitest";
import { basicRecurrentLayer, bilstmLayer, gruLayer, lstmLayer, Random, type Layer } from "../../src/index.js";
import { initialize } from "../../src/layers/initializers.js";
import { expectIdentity, gram } from "../helpers/numeric.js";

describe('initialize("orthogonal")', () => {
  for (const [m, n] of [[12, 4], [6, 6], [3, 7]]) {
    it(`[${m}, ${n}]: Q of Z = QR with diag(R) > 0, Z the seeded standard normals; ${m >= n ? "QᵀQ" : "QQᵀ"} = I`, () => {
      const q = initialize("orthogonal", [m, n], { numIn: n, numOut: m }, new Random(3), "test").data;
      const z = Float64Array.from({ length: m * n }, (() => { const r = new Random(3); return () => r.normal(); })());
      const k = Math.min(m, n);
      expectIdentity(gram(q, m, n, m < n), k, 1e-6, "orthogonality");
      // m ≥ n: R = QᵀZ [n, n]; m < n: Zᵀ = QᵀR, so R = Q Zᵀ [m, m] (Q's rows are the orthonormal vectors)
      const r = new Float64Array(k * k);
      for (let p = 0; p < k; p++) {
        for (let j = 0; j < k; j++) {
          let s = 0;
          for (let i = 0; i < Math.max(m, n); i++) s += m >= n ? q[i * n + p] * z[i * n + j] : q[p * n + i] * z[j * n + i];
          r[p * k + j] = s;
        }
      }
      for (let p = 0; p < k; p++) {
        expect(r[p * k + p], `R[${p}, ${p}]`).toBeGreaterThan(0);
        for (let j = 0; j < p; j++) expect(Math.abs(r[p * k + j]), `R[${p}, ${j}] below the diagonal`).toBeLessThan(1e-5);
      }
      // QR reproduces Z (Z's columns, or its rows when m < n)
      for (let i = 0; i < Math.max(m, n); i++) {
        for (let j = 0; j < k; j++) {
          let s = 0;
          for (let p = 0; p < k; p++) s += (m >= n ? q[i * n + p] : q[p * n + i]) * r[p * k + j];
          expect(s).toBeCloseTo(m >= n ? z[i * n + j] : z[j * n + i], 4);
        }
      }
    });
  }

  it("is deterministic in its seed", () => {
    const make = (seed: number) => Array.from(initialize("orthogonal", [8, 3], { numIn: 3, numOut: 8 }, new Random(seed), "test").data);
    expect(make(5)).toEqual(make(5));
    expect(make(5)).not.toEqual(make(6));
  });
});

describe("recurrent layers' initializers (MATLAB's defaults)", () => {
  const H = 5, C = 3;
  const built = (layer: Layer) => layer.initialize({ inputSize: C, seed: 1 }).parameters;
  const kinds: [string, (o: object) => Layer, number][] = [
    ["lstmLayer", (o) => lstmLayer(H, o), 4], ["bilstmLayer", (o) => bilstmLayer(H, o), 8],
    ["gruLayer", (o) => gruLayer(H, o), 3], ["gruLayer bidirectional", (o) => gruLayer(H, { ...o, bidirectional: true }), 6],
    ["basicRecurrentLayer", (o) => basicRecurrentLayer(H, o), 1],
  ];
  for (const [name, make, rows] of kinds) {
    it(`${name}: recurrentWeights [${rows}·H, H] are orthogonal (RᵀR = I), inputWeights Glorot, bias ${name.includes("lstm") ? "unit-forget-gate" : "zeros"}`, () => {
      const { inputWeights, recurrentWeights, bias } = built(make({}));
      expectIdentity(gram(recurrentWeights.data, rows * H, H), H, 1e-5, "recurrentWeights");
      const bound = Math.sqrt(6 / (C + rows * H));
      expect(Math.max(...Array.from(inputWeights.data, Math.abs))).toBeLessThanOrEqual(bound);
      const G = name.includes("lstm") ? 4 : 1;
      // LSTM: per direction [i, f, g, o] blocks of H, the forget block 1
      expect(Array.from(bias.data)).toEqual(Array.from(bias.data, (_, j) => (G === 4 && Math.floor(j / H) % 4 === 1 ? 1 : 0)));
    });
  }

  it("takes inputWeightsInitializer, recurrentWeightsInitializer and biasInitializer (names or functions)", () => {
    const { inputWeights, recurrentWeights, bias } = built(lstmLayer(H, {
      inputWeightsInitializer: "orthogonal", recurrentWeightsInitializer: "glorot", biasInitializer: "ones",
    }));
    expectIdentity(gram(inputWeights.data, 4 * H, C), C, 1e-5, "inputWeights");
    const bound = Math.sqrt(6 / (H + 4 * H));
    expect(Math.max(...Array.from(recurrentWeights.data, Math.abs))).toBeLessThanOrEqual(bound);
    expect(Array.from(bias.data)).toEqual(new Array(4 * H).fill(1));
    const gru = built(gruLayer(H, { recurrentWeightsInitializer: (shape: number[]) => Array.from({ length: shape[0] }, () => new Array(shape[1]).fill(0.5)), biasInitializer: "narrow-normal" }));
    expect(Array.from(gru.recurrentWeights.data)).toEqual(new Array(3 * H * H).fill(0.5));
    expect(Math.max(...Array.from(gru.bias.data, Math.abs))).toBeLessThan(0.1);
  });

  it("saves named non-default initializers in the config, and nothing for the defaults", () => {
    expect((lstmLayer(H).config().args[1] as Record<string, unknown>).recurrentWeightsInitializer).toBeUndefined();
    const options = lstmLayer(H, { recurrentWeightsInitializer: "glorot", biasInitializer: "zeros" }).config().args[1] as Record<string, unknown>;
    expect(options.recurrentWeightsInitializer).toBe("glorot");
    expect(options.biasInitializer).toBe("zeros");
    expect(options.inputWeightsInitializer).toBeUndefined();
  });

  it("refuses unknown initializers, and unit-forget-gate for layers without a forget gate", () => {
    expect(() => lstmLayer(H, { recurrentWeightsInitializer: "orthonormal" as never })).toThrow(
      /lstmLayer.*recurrentWeightsInitializer: initializer must be one of "glorot", "he", "orthogonal", "narrow-normal", "zeros", "ones" or a function, got "orthonormal"/);
    expect(() => gruLayer(H, { biasInitializer: "unit-forget-gate" })).toThrow(/gruLayer.*biasInitializer: initializer must be one of "zeros", "narrow-normal", "ones" or a function, got "unit-forget-gate"/);
  });
});
