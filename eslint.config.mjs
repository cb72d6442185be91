import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([".next*/**", "node_modules/**", "data/**", "prisma/generated/**", "test-results*/**", "playwright-report/**", "e2e/artifacts/**", "next-env.d.ts", "server/bench/**/out/**"]),
  {
    // CommonJS files (worker threads loaded without a bundler) use require by nature.
    files: ["**/*.cjs"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
]);
