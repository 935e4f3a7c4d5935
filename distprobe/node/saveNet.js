// saveNet / loadNet (Node only): serializeNet's bytes in one .safetensors file (readable by PyTorch and
// Hugging Face tools). The write is atomic (temp file, then rename) and removes temp files that killed
// earlier saves of the same target left behind; every error names the function and the path.
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { decodeNet, encodeNet } from "../nets/serializeNet.js";
import { writeFileAtomicSync } from "./atomicWrite.js";
function checkPath(path, where) {
    if (typeof path !== "string" || path === "")
        throw new Error(`${where}: path must be a non-empty string, got ${path === null ? "null" : typeof path === "string" ? '""' : typeof path}`);
}
/**
 * Writes serializeNet(net) to a .safetensors file atomically (Node only).
 * @example saveNet(net, "net.safetensors")
 */
export function saveNet(net, path) {
    checkPath(path, "saveNet");
    const bytes = encodeNet(net, `saveNet ${path}`);
    try {
        writeFileAtomicSync(path, bytes);
    }
    catch (e) {
        const code = e.code;
        const reason = code === "ENOENT" ? `the directory ${dirname(path)} does not exist`
            : code === "EACCES" || code === "EPERM" ? `permission denied in ${dirname(path)}`
                : code === "ENOTDIR" ? `a part of the path is not a directory` : e.message;
        throw new Error(`saveNet ${path}: cannot write the file: ${reason}`);
    }
}
/**
 * Reads a file written by saveNet and rebuilds the net, checking everything first (Node only).
 * @example const net = loadNet<NetChain>("net.safetensors")
 */
export function loadNet(path) {
    checkPath(path, "loadNet");
    let bytes;
    try {
        bytes = readFileSync(path);
    }
    catch (e) {
        const code = e.code;
        const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : e.message;
        throw new Error(`loadNet ${path}: cannot read the file: ${reason}`);
    }
    return decodeNet(bytes, `loadNet ${path}: `);
}
