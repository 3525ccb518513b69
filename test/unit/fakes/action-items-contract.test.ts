import { describeActionItemsContract } from "../../support/fakes/action-items-contract.js";
import { inMemoryImplementation } from "../../support/repositories.js";

// The fake keeps the contract PrismaActionItemRepository keeps on both databases (test/db/action-items-contract.test.ts).
describeActionItemsContract(inMemoryImplementation);
