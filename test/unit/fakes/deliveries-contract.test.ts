import { describeDeliveriesContract } from "../../support/fakes/deliveries-contract.js";
import { inMemoryImplementation } from "../../support/repositories.js";

// The fake keeps the contract PrismaDeliveryRepository keeps on both databases (test/db/deliveries-contract.test.ts).
describeDeliveriesContract(inMemoryImplementation);
