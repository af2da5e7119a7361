/**
 * Recharge as the registry lists it: the wire format (index.server.ts: verification and
 * records) with the connector that talks to Recharge's API (connector.server.ts).
 */
import type { SourceDefinition } from "../definition";
import { rechargeConnector } from "./connector.server";
import { recharge as rechargeWireFormat } from "./index.server";

export const recharge: SourceDefinition = { ...rechargeWireFormat, connector: rechargeConnector };
