import { createInMemoryRepositories } from "../../support/fakes/in-memory-repositories.js";
import { describeRepositoryContract } from "../../support/fakes/repository-contract.js";

// The fakes must keep the contracts the Prisma repositories keep, or service tests over them prove nothing.
describeRepositoryContract("in-memory fakes", async () => ({
  ...createInMemoryRepositories(),
  close: async () => {},
}));
