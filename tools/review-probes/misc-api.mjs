import { dotProductAttention, tensor, setNumThreads, getNumThreads } from "../../dist/index.js";
const q = tensor([[[[1, 0]]]]);
for (const implementation of ["wasmx", "", "WASM"]) { try { dotProductAttention(q, q, q, { implementation }); console.log(implementation, "accepted"); } catch (e) { console.log(JSON.stringify(implementation), "→", e.message); } }
for (const n of [0, 1.5, 258, "2", 257]) { try { setNumThreads(n); console.log("setNumThreads", n, "ok →", getNumThreads()); } catch (e) { console.log("setNumThreads", JSON.stringify(n), "→", e.message); } }
setNumThreads(2);
