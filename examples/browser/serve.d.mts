// Types of serve.mjs for the TypeScript tests.
export function serveFolder(dir: string, port?: number): Promise<{ url: string; close: () => Promise<void> }>;
