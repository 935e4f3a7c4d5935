// Test-only WebAssembly exports, kept out of the published kernels. test/setup/kernels.ts compiles this
// module in the library's four variants into test/.build/ (git-ignored); test/helpers/testKernels.ts
// instantiates it on the library's own memory, so arrays laid out by layout() serve it too. Its static data
// starts at 32 KiB (--memoryBase), clear of the library's (page 0 below 2 KiB) and of the heap (page 1 on).
export { probe } from "./probe";
export { expArray } from "./expArray";
