// Each e2e test runs several real Pulumi operations; they take seconds each.
jest.setTimeout(15 * 60 * 1000);
