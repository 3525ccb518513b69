import { describeRollupsContract } from "../support/fakes/rollups-contract.js";
import { prismaAvailable, prismaImplementation } from "../support/repositories.js";

// The RollupRepository contract on a real database; the in-memory fake passes the same one (test/unit/fakes).
if (prismaAvailable) describeRollupsContract(prismaImplementation);
