// The Decoder as net.startDecoding types it: next() on one input gives what net.predict gives for that net's
// output names O (a Tensor for a one-output net), so a user needs no cast; every other form keeps Decoder's type.
import type { NetGraph, NetResult } from "../nets/netGraph.js";
import type { Tensor } from "../tensor/tensor.js";
import { startDecoder, type Decoder, type DecodingOptions } from "./decoder.js";

/**
 * A net's Decoder, typed by the net's output names O: `next` on a Tensor, one sequence of token ids or a string
 * is typed as `net.predict`'s result (a `Tensor` for one output, a record by name for several); a list of
 * sequences, nested arrays or a record of ports keep `Decoder.next`'s type. `fork()` and `select()` keep O.
 */
export interface TypedDecoder<O extends string> extends Decoder {
  next(x: Tensor | readonly number[] | string): NetResult<O, Tensor>;
  next(...args: Parameters<Decoder["next"]>): ReturnType<Decoder["next"]>;
  fork(): TypedDecoder<O>;
  select(rows: readonly number[]): TypedDecoder<O>;
}

/** net.startDecoding: the decoder, typed by the net's output names. */
export const startTypedDecoder = <O extends string>(net: NetGraph<O>, options?: DecodingOptions): TypedDecoder<O> => startDecoder(net, options) as TypedDecoder<O>;
