// A layer with one input "in" and one output "out" that acts on the last (channel) axis, so it serves
// single vectors, sequences [T, C] and batches [B, T, C] alike. Subclasses give the channel map and the
// computation; the base's `apply` mirrors the input's kind (tensor in, tensor out; nested arrays in, arrays out).
import { formatShape } from "../tensor/shape.js";
import type { Mirror, Tensor, TensorLike } from "../tensor/tensor.js";
import type { ApplyInput, ApplyResult } from "./applyInput.js";
import type { DecodeState } from "../decode/state.js";
import { Layer, type ForwardContext, type NetValue, type Pending } from "./layer.js";

/** The base of one-input, one-output layers acting on the last (channel) axis: vectors, sequences [T, C] and batches [B, T, C] alike. */
export abstract class SimpleLayer extends Layer {
  readonly inputNames: readonly string[] = ["in"];
  readonly outputNames: readonly string[] = ["out"];

  /** output channels for given input channels (fixing, in `pending`, and checking this layer's sizes) */
  protected abstract channelsOut(channelsIn: number, pending: Pending): number;
  /** the computation on a batch; `lengths` are given for padded sequences; parameters are read with context.pending */
  protected abstract compute(x: Tensor, lengths: readonly number[] | undefined, context: ForwardContext & { pending: Pending }): NetValue;

  /** initialize({ inputSize }) fixes the input channels as data would. */
  protected override setSizes(sizes: Record<string, number>, pending: Pending): void {
    if (sizes.inputSize !== undefined) this.channelsOut(sizes.inputSize, pending);
  }

  /**
   * True for a layer that maps each position alone (set by each such subclass: a layer that mixes positions, such
   * as a recurrent one, must not decode as position-wise by default).
   */
  protected readonly positionWise: boolean = false;

  /** Position-wise layers decode with no state (a step is the forward on the new positions); others refuse. */
  override startState(batch: number, capacity: number): DecodeState | undefined {
    return this.positionWise ? undefined : super.startState(batch, capacity);
  }

  override inferSizes(inputs: Record<string, number>, pending?: Pending): Record<string, number> {
    return this.staged(pending, (p) => ({ out: this.channelsOut(inputs.in, p) }));
  }

  override forward(inputs: Record<string, NetValue>, context: ForwardContext): Record<string, NetValue> {
    return this.staged(context.pending, (pending) => {
      const { x, lengths } = inputs.in;
      if (x.rank === 0 || x.shape[x.rank - 1] === 0) throw this.error(`input "in" must have a channel axis of size ≥ 1, got shape ${formatShape(x.shape)}`);
      this.channelsOut(x.shape[x.rank - 1], pending);
      this.ensureBuilt(pending);
      // a net's call already carries its pending (a decoding step's every layer): no copy of the context then
      return { out: this.compute(x, lengths, context.pending === pending ? (context as ForwardContext & { pending: Pending }) : { ...context, pending }) };
    });
  }

  /** Applies the layer to one array (any leading axes, channels last), or to a record { in } or a list of them. */
  override apply<T extends TensorLike>(input: T, options?: { training?: boolean; seed?: number }): Mirror<T>;
  override apply(input: ApplyInput, options?: { training?: boolean; seed?: number }): ApplyResult;
  override apply(input: ApplyInput, options?: { training?: boolean; seed?: number }): ApplyResult {
    return super.apply(input, options);
  }
}
