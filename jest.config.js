// Tests are written in TypeScript and compiled by `npm run build` into dist/, so Jest runs plain
// CommonJS (no transform, and the same code the provider processes run).
const common = { testEnvironment: "node", transform: {}, moduleFileExtensions: ["js", "json"] };
module.exports = {
  // e2e tests mostly wait on the Pulumi CLI and provider processes: two workers on two cores.
  maxWorkers: 2,
  projects: [
    { ...common, displayName: "unit", testMatch: ["<rootDir>/dist/test/unit/**/*.test.js"] },
    { ...common, displayName: "contract", testMatch: ["<rootDir>/dist/test/contract/**/*.test.js"] },
    {
      ...common,
      displayName: "e2e",
      testMatch: ["<rootDir>/dist/test/e2e/**/*.test.js"],
      globalSetup: "<rootDir>/dist/testkit/global-setup.js",
      setupFilesAfterEnv: ["<rootDir>/dist/testkit/jest-timeout.js"],
    },
  ],
};
