import { describeAlarmsContract } from "../support/fakes/alarms-contract.js";
import { prismaAvailable, prismaImplementation } from "../support/repositories.js";

// The AlarmRepository contract on a real database; the in-memory fake passes the same one (test/unit/fakes).
if (prismaAvailable) describeAlarmsContract(prismaImplementation);
