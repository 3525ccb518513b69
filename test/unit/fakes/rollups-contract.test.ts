import { describeRollupsContract } from "../../support/fakes/rollups-contract.js";
import { inMemoryImplementation } from "../../support/repositories.js";

// The fake keeps the contract PrismaRollupRepository keeps on both databases (test/db/rollups-contract.test.ts).
describeRollupsContract(inMemoryImplementation);
