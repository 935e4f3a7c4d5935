// Mini-batches of varying-length sequences: the order of examples per epoch (shuffled with the run's
// seed, optionally sorted by length so batches hold similar lengths), then padding plus lengths.
import { padSequences } from "../layers/sequenceBatch.js";
/** Batches of example indices for one epoch. */
export function epochBatches(lengths, miniBatchSize, shuffle, sortByLength, random, firstOrder) {
    const n = lengths.length;
    const order = shuffle === "every-epoch" ? random.permutation(n) : shuffle === "once" ? firstOrder : Array.from({ length: n }, (_, i) => i);
    const batches = [];
    if (sortByLength) {
        // group similar lengths (stable sort of the shuffled order), then shuffle the batches themselves
        const sorted = [...order].sort((a, b) => lengths[a] - lengths[b]);
        for (let i = 0; i < n; i += miniBatchSize)
            batches.push(sorted.slice(i, i + miniBatchSize));
        if (shuffle !== "never")
            return random.permutation(batches.length).map((i) => batches[i]);
        return batches;
    }
    for (let i = 0; i < n; i += miniBatchSize)
        batches.push(order.slice(i, i + miniBatchSize));
    return batches;
}
/** The padded batch [B, T_max, C] and lengths of the chosen sequences. */
export function sequenceBatch(sequences, indices) {
    return padSequences(indices.map((i) => sequences[i]));
}
