// The browser demo's server (examples/browser/serve.mjs) under hostile requests: no file outside its folder (a
// sibling folder sharing the prefix included), and a malformed %-escape answered 400 without stopping the server.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { serveFolder } from "../../examples/browser/serve.mjs";
import { tempDir } from "../helpers/tempDir.js";

describe("the demo server", () => {
  it("serves its folder only and survives malformed requests", async () => {
    const dir = tempDir("serve");
    mkdirSync(join(dir, "site"));
    mkdirSync(join(dir, "site-x"));
    writeFileSync(join(dir, "site", "a.html"), "inside");
    writeFileSync(join(dir, "site-x", "secret"), "outside");
    const server = await serveFolder(join(dir, "site"));
    try {
      const get = async (path: string) => {
        const r = await fetch(server.url + path);
        return { status: r.status, body: await r.text() };
      };
      expect(await get("a.html")).toEqual({ status: 200, body: "inside" });
      for (const path of ["..%2fsite-x%2fsecret", "%2e%2e%2fsite-x%2fsecret", "..%2f..%2fetc%2fpasswd", "a.html%00"]) {
        const r = await get(path);
        expect(r.status, path).toBe(404);
        expect(r.body, path).not.toContain("outside");
      }
      expect((await get("%E0%A4%A")).status).toBe(400);
      expect(await get("a.html")).toEqual({ status: 200, body: "inside" }); // still serving
    } finally {
      await server.close();
    }
  });
});
