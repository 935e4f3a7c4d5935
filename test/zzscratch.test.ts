import { it } from "vitest";
import * as L from "../src/index.js";
const t = (name: string, f: () => unknown) => { try { const r = f(); console.log(name, "OK", JSON.stringify(r)?.slice(0, 200)); } catch (e) { console.log(name, "ERR", (e as Error).constructor.name, (e as Error).message); } };
it("scratch", () => {
  const n = () => L.netChain([L.selfAttentionLayer(1, 2), L.fullyConnectedLayer(2)]);
  t("init -3", () => n().initialize({ inputSize: -3 }).learnableShapes);
  t("init 2.5", () => n().initialize({ inputSize: 2.5 }).learnableShapes);
  t("init 0", () => n().initialize({ inputSize: 0 }).learnableShapes);
  t("init seed", () => n().initialize({ inputSize: 3, seed: "x" } as never).learnableShapes);
  t("dpa bool", () => L.dotProductAttention([[[[1, 0]]]], [[[[1, 0]]]], [[[[true, 2]]]] as never));
  t("dpa bool mask", () => L.dotProductAttention([[[[1, 0]]]], [[[[1, 0]]]], [[[[3, 2]]]], { mask: [[true]] }));
  const g = L.netGraph({ nodes: { att: L.selfAttentionLayer(1, 2, { hasPaddingMaskInput: true }) }, edges: [["in", "att/in"], ["mask", "att/mask"]], inputs: ["in", "mask"] } as never);
  t("net bool mask", () => (g as any).apply({ in: [[[1, 2], [3, 4]]], mask: [[true, false]] }));
  t("net bool in", () => (g as any).apply({ in: [[[true, 2], [3, 4]]], mask: [[true, false]] }));
});
