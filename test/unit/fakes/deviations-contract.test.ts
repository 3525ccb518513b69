import { describeDeviationsContract } from "../../support/fakes/deviations-contract.js";
import { inMemoryImplementation } from "../../support/repositories.js";

// The fake keeps the contract PrismaDeviationRepository keeps on both databases (test/db/deviations-contract.test.ts).
describeDeviationsContract(inMemoryImplementation);
