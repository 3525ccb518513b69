import { describeDeliveriesContract } from "../support/fakes/deliveries-contract.js";
import { prismaAvailable, prismaImplementation } from "../support/repositories.js";

// The outbox's contract on a real database; the in-memory fake passes the same one (test/unit/fakes).
if (prismaAvailable) describeDeliveriesContract(prismaImplementation);
