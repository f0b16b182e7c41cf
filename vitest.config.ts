import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Interop tests share one network namespace name space and TAP devices: files run one at a time
    // where they say so (describe.sequential); the rest run in parallel on the 2 cores.
    pool: "forks",
  },
});
