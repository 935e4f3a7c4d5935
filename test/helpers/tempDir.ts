// A fresh temporary folder that the test run removes: after the test when made inside a test, after the
// file's tests when made while collecting them (at the top of a file or in a describe).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, onTestFinished } from "vitest";

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `attention-layers-${prefix}-`));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    onTestFinished(remove);
  } catch {
    afterAll(remove); // not inside a test
  }
  return dir;
}
