// ready(): the one await a browser needs before the fast kernels run (like tf.ready()). Its own file so the
// published declarations of the main entry mention no WebAssembly types (a strict TypeScript project
// without the DOM library and with skipLibCheck off still compiles against them).
import { ready as loadKernels } from "./kernels/wasm/loader.js";

/** Resolves once the WebAssembly kernels are compiled; call it once before training or applying layers in a browser. */
export function ready(): Promise<void> {
  return loadKernels();
}
