import { describeActionItemsContract } from "../support/fakes/action-items-contract.js";
import { prismaAvailable, prismaImplementation } from "../support/repositories.js";

// PrismaActionItemRepository on this run's database; the in-memory fake passes the same contract (test/unit/fakes).
if (prismaAvailable) describeActionItemsContract(prismaImplementation);
