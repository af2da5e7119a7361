import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "../intake/intake.server";

export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request);
