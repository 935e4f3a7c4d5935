// Mini-batches of varying-length sequences: the order of examples per epoch (shuffled with the run's
// seed, optionally sorted by length so batches hold similar lengths), then padding plus lengths per port.
// Examples come as x in one of three forms, each turned into records of their ports' tensors by apply's own
// input adapter (layers/applyInput.ts: recordTensors, batchExamples), as net.apply reads records:
//   a list of sequences (a one-input net), a list of records { port: example }, a record of lists { port: [...] }.
import { batchExamples, idColumn, isPortRecord, recordTensors } from "../layers/applyInput.js";
import type { NetValue } from "../layers/layer.js";
import type { NetGraph } from "../nets/netGraph.js";
import { Random } from "../tensor/random.js";
import { asTensor, type Tensor, type TensorLike } from "../tensor/tensor.js";
import { describe } from "../util/validate.js";

export type ShuffleMode = "every-epoch" | "once" | "never";

/** One example: a tensor per graph input. */
export type Example = Record<string, Tensor>;

/** Batches of example indices for one epoch. */
export function epochBatches(
  lengths: readonly number[], miniBatchSize: number, shuffle: ShuffleMode, sortByLength: boolean,
  random: Random, firstOrder: number[],
): number[][] {
  const n = lengths.length;
  const order = shuffle === "every-epoch" ? random.permutation(n) : shuffle === "once" ? firstOrder : Array.from({ length: n }, (_, i) => i);
  const batches: number[][] = [];
  if (sortByLength) {
    // group similar lengths (stable sort of the shuffled order), then shuffle the batches themselves
    const sorted = [...order].sort((a, b) => lengths[a] - lengths[b]);
    for (let i = 0; i < n; i += miniBatchSize) batches.push(sorted.slice(i, i + miniBatchSize));
    if (shuffle !== "never") return random.permutation(batches.length).map((i) => batches[i]);
    return batches;
  }
  for (let i = 0; i < n; i += miniBatchSize) batches.push(order.slice(i, i + miniBatchSize));
  return batches;
}

/** The chosen examples as one padded batch per port ([B, T_max, C] with each example's length). */
export function portBatch(net: NetGraph, examples: readonly Example[], indices: readonly number[]): Record<string, NetValue> {
  const chosen = indices.map((i) => examples[i]);
  const batch = batchExamples(net, chosen);
  // a sequence port whose first layer leaves the rank open (an embeddingLayer's [T, 1] ids) still carries
  // each example's length: without it padded steps would count as data (and in the loss)
  for (const port of net.inputNames) {
    if (batch[port].lengths === undefined && isSequencePort(net, port)) batch[port] = { ...batch[port], lengths: chosen.map((e) => e[port].shape[0]) };
  }
  return batch;
}

/** A port trainNet takes as [T, C] sequences: the one input of a net, or one whose rank is 2 or open, not a mask. */
export function isSequencePort(net: NetGraph, port: string): boolean {
  return net.inputNames.length === 1 || ((net.exampleRank(port) ?? 2) === 2 && !net.isMaskInput(port));
}

/** The examples of x (any of the three forms, header) as records of tensors; `x` names x in messages ("validationData.x"). */
export function examplesOf(net: NetGraph, x: unknown, where: string, xName: string): Example[] {
  const ports = net.inputNames;
  const parse = (record: Readonly<Record<string, TensorLike>>, i: number): Example => {
    try {
      const e = recordTensors(net, record, false, ` in ${xName}[${i}]`);
      for (const p of ports) if (net.isIdInput(p)) e[p] = idColumn(e[p]); // ids [T] or [T, 1]
      return e;
    } catch (e) {
      throw new Error(`${where}: ${(e as Error).message}`);
    }
  };
  if (Array.isArray(x)) {
    if (x.length > 0 && x.every(isPortRecord)) return x.map((record, i) => parse(record as Record<string, TensorLike>, i));
    if (ports.length !== 1) throw new Error(`${where}: ${net.label} has inputs ${ports.join(", ")}; ${xName} must be a list of records { ${ports.join(", ")} } or a record of lists { ${ports.map((p) => `${p}: [...]`).join(", ")} }`);
    return x.map((s, i) => {
      const t = asTensor(s as TensorLike, `${where}: ${xName}[${i}]`);
      return { [ports[0]]: net.isIdInput(ports[0]) ? idColumn(t) : t };
    });
  }
  if (isPortRecord(x)) return listOfRecords(x as Record<string, unknown>, where, xName).map(parse);
  throw new Error(`${where}: ${xName} must be a list of sequences, a list of records by input port or a record of lists, got ${describe(x)}`);
}

/** A record of lists { port: [example, ...] } as a list of records { port: example }, the lists' lengths checked. */
export function listOfRecords(lists: Readonly<Record<string, unknown>>, where: string, xName: string): Record<string, TensorLike>[] {
  const ports = Object.keys(lists);
  const bad = ports.find((p) => !Array.isArray(lists[p]));
  if (bad !== undefined) throw new Error(`${where}: ${xName}.${bad} must be a list of examples (a record of lists { port: [...] }), got ${describe(lists[bad])}`);
  const counts = ports.map((p) => (lists[p] as unknown[]).length);
  if (counts.some((n) => n !== counts[0])) throw new Error(`${where}: the lists of ${xName} differ in length (${ports.map((p, i) => `${p}: ${counts[i]}`).join(", ")})`);
  return Array.from({ length: counts[0] ?? 0 }, (_, i) => Object.fromEntries(ports.map((p) => [p, (lists[p] as TensorLike[])[i]])));
}
