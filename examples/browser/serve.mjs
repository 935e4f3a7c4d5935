// Builds the demo and serves it on loopback: node examples/browser/serve.mjs [port]   (npm run demo)
// Pages are served cross-origin isolated (COOP same-origin, COEP require-corp), so a worker may share memory with
// the kernels' threads.
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { buildDemo } from "./build.mjs";

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css" };

/** Serves the files of `dir` on 127.0.0.1 (port 0: any free port); resolves to { url, close }. */
export function serveFolder(dir, port = 0) {
  const root = resolve(dir);
  const inside = (p) => p === root || p.startsWith(root + sep); // not a sibling that shares the prefix ("site-x" of "site")
  const server = createServer((req, res) => {
    let path;
    try {
      path = resolve(join(root, decodeURIComponent(new URL(req.url, "http://x").pathname)));
    } catch {
      res.writeHead(400).end("bad request"); // a malformed %-escape must not take the server down
      return;
    }
    const file = inside(path) && existsSync(path) && statSync(path).isDirectory() ? join(path, "index.html") : path;
    if (!inside(file) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store",
      "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp",
    });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => {
    resolve({ url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((r) => server.close(r)) });
  }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outdir = fileURLToPath(new URL("./dist/", import.meta.url));
  await buildDemo({ outdir });
  const { url } = await serveFolder(outdir, Number(process.argv[2] ?? 8080));
  console.log(`demo: ${url}  (Ctrl-C to stop)`);
}
