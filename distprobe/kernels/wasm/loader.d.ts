import { wasmBinaries } from "./binaries.generated.js";
/** The module's exports (kernels take byte offsets into `memory`). */
export interface KernelExports {
    probe(a: number, x: number, y: number, n: number): void;
    gemm: import("./gemm.js").GemmKernel;
    gemmWorkspaceBytes(): number;
    lstmForward: import("./lstm.js").LstmForwardKernel;
    [kernel: string]: unknown;
}
export interface WasmKernels {
    readonly variant: keyof typeof wasmBinaries;
    readonly module: WebAssembly.Module;
    readonly memory: WebAssembly.Memory;
    readonly exports: KernelExports;
}
/** Resolves once the kernels can run (compiles them asynchronously; needed in browsers, like tf.ready()). */
export declare function ready(): Promise<void>;
/** True once the kernels are loaded (after ready() resolved, or a synchronous load in Node). */
export declare function isReady(): boolean;
/** The loaded kernels; in Node they load synchronously here, elsewhere ready() must have resolved. */
export declare function wasmKernels(): WasmKernels;
