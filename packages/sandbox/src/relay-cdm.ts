// Relay CDM behaviour, from the vendor pages (docs.relaynetwork.com/apidocs). Each client_id sees
// only its own people. What the pages do not state is ours and listed in the sandbox README.
import type { components, operations } from "./generated/relay-cdm.js";
import type { ApiBehaviour } from "./engine.js";
import { relayClient, type RelayClient, type RelayPerson, type SandboxState } from "./state.js";
import type { Handlers } from "./types.js";

type Schemas = components["schemas"];

/** Relay's limits (Introduction page): numbers per ccid, and ccids per number within a client. */
export const relayLimits = { numbersPerCcid: 50, ccidsPerNumber: 50 };

/** The API key header; its name really starts with a double "x". */
const apiKeyHeader = "xx-relay-api-key";

/** Relay documents no error body; ours is `{ message }` (inferred). */
const message = (text: string) => ({ message: text });

function activePerson(state: SandboxState, clientId: string, ccid: string): RelayPerson | undefined {
  const person = state.relayCdm.clients[clientId]?.customers[ccid];
  return person?.active ? person : undefined;
}

const notFound = (clientId: string, ccid: string) => ({
  status: 404 as const,
  body: message(`Customer ${ccid} not found for client ${clientId}`),
});

/** How many active people of the client hold this number, leaving one ccid out. */
function holders(client: RelayClient, number: string, except: string): number {
  let count = 0;
  for (const [ccid, person] of Object.entries(client.customers)) {
    if (
      ccid !== except &&
      person.active &&
      person.customer.notification_channels.some((c) => c.channel_addr === number)
    )
      count += 1;
  }
  return count;
}

/** Why adding these numbers to the ccid would break a limit, if it would. */
function limitProblem(client: RelayClient, ccid: string, numbers: string[]): string | undefined {
  if (numbers.length > relayLimits.numbersPerCcid) {
    return `Customer ${ccid} would have ${numbers.length} phone numbers; at most ${relayLimits.numbersPerCcid} are allowed per ccid`;
  }
  for (const number of numbers) {
    if (holders(client, number, ccid) >= relayLimits.ccidsPerNumber) {
      return `Phone number ${number} already belongs to ${relayLimits.ccidsPerNumber} customers; at most ${relayLimits.ccidsPerNumber} ccids are allowed per number`;
    }
  }
  return undefined;
}

function channel(input: Schemas["NotificationChannelInput"]): Schemas["NotificationChannel"] {
  return { channel_type: input.channel_type ?? "sms", ...input };
}

/** Merges channels by number: a number sent again replaces its entry. */
function mergeChannels(
  existing: Schemas["NotificationChannel"][],
  added: Schemas["NotificationChannel"][],
): Schemas["NotificationChannel"][] {
  const byNumber = new Map(existing.map((c) => [c.channel_addr, c]));
  for (const c of added) byNumber.set(c.channel_addr, { ...byNumber.get(c.channel_addr), ...c });
  return [...byNumber.values()];
}

/** Why an onboard or load could not be applied. */
type Refusal = { status: 404 | 409; body: { message: string } };

/**
 * Onboard and load share this: with `replaceChannels`, the person's numbers become the ones sent
 * (deactivate_previous_connections: true); otherwise the new ones are added to the existing ones.
 */
function upsert(
  state: SandboxState,
  clientId: string,
  productGroupId: string,
  input: Schemas["CustomerInput"],
  replaceChannels: boolean,
): Refusal | undefined {
  const client = relayClient(state, clientId);
  if (client.closed && !client.productGroups.includes(productGroupId)) {
    return { status: 404, body: message(`Product group ${productGroupId} not found for client ${clientId}`) };
  }
  const { notification_channels: sent = [], ...attributes } = input;
  const existing = client.customers[input.ccid];
  const previous = existing?.active && !replaceChannels ? existing.customer.notification_channels : [];
  const channels = mergeChannels(previous, sent.map(channel));
  const problem = limitProblem(
    client,
    input.ccid,
    channels.map((c) => c.channel_addr ?? ""),
  );
  if (problem) return { status: 409, body: message(problem) };
  if (!client.productGroups.includes(productGroupId)) client.productGroups.push(productGroupId);
  const kept = existing?.active ? existing.customer : {};
  client.customers[input.ccid] = {
    customer: { ...kept, ...attributes, notification_channels: channels },
    productGroupId,
    active: true,
  };
  return undefined;
}

export const relayHandlers: Handlers<operations, SandboxState> = {
  onboardCustomer: ({ path, body }, state) => {
    const failed = upsert(
      state,
      path.client_id,
      body.product_group_id,
      body.customer,
      body.deactivate_previous_connections === true,
    );
    return failed ?? { status: 200, body: { message: "Accepted" } };
  },

  loadCustomerRecord: ({ path, body }, state) => {
    const { ccid } = body.customer;
    if (activePerson(state, path.client_id, ccid)) {
      return { status: 409, body: message(`Customer ${ccid} already exists for client ${path.client_id}`) };
    }
    // Relay documents no body for this 200.
    return upsert(state, path.client_id, body.product_group_id, body.customer, true) ?? { status: 200 };
  },

  getCustomer: ({ path }, state) => {
    const person = activePerson(state, path.client_id, path.ccid);
    return person ? { status: 200, body: structuredClone(person.customer) } : notFound(path.client_id, path.ccid);
  },

  deactivateCustomer: ({ path }, state) => {
    const person = activePerson(state, path.client_id, path.ccid);
    if (!person) return notFound(path.client_id, path.ccid);
    person.active = false;
    return { status: 200, body: message(`Customer ${path.ccid} deactivated for client ${path.client_id}`) };
  },

  addCustomerPhone: ({ path, body }, state) => {
    const { client_id: clientId, ccid, phone_number: number } = path;
    const person = activePerson(state, clientId, ccid);
    if (!person) return notFound(clientId, ccid);
    const added: Schemas["NotificationChannel"] = {
      channel_type: "sms",
      channel_addr: number,
      ...(body?.consent_type ? { consent_type: body.consent_type } : {}),
      ...(body?.phone_type ? { phone_type: body.phone_type } : {}),
    };
    const channels = mergeChannels(person.customer.notification_channels, [added]);
    const problem = limitProblem(
      relayClient(state, clientId),
      ccid,
      channels.map((c) => c.channel_addr ?? ""),
    );
    if (problem) return { status: 409, body: message(problem) };
    person.customer.notification_channels = channels;
    return {
      status: 200,
      body: message(`Phone number ${number} has been added to customer with ccid ${ccid} for client ${clientId}.`),
    };
  },

  removeCustomerPhone: ({ path }, state) => {
    const { client_id: clientId, ccid, phone_number: number } = path;
    const person = activePerson(state, clientId, ccid);
    if (!person) return notFound(clientId, ccid);
    const channels = person.customer.notification_channels;
    if (!channels.some((c) => c.channel_addr === number)) {
      return { status: 404, body: message(`Phone number ${number} is not on customer ${ccid} for client ${clientId}`) };
    }
    person.customer.notification_channels = channels.filter((c) => c.channel_addr !== number);
    return {
      status: 200,
      body: message(`Phone number ${number} has been removed from customer with ccid ${ccid} for client ${clientId}`),
    };
  },

  moveCustomerProductGroup: ({ path }, state) => {
    const { client_id: clientId, ccid, product_group_id: group } = path;
    const person = activePerson(state, clientId, ccid);
    if (!person) return notFound(clientId, ccid);
    if (!relayClient(state, clientId).productGroups.includes(group)) {
      return { status: 404, body: message(`Product group ${group} not found for client ${clientId}`) };
    }
    person.productGroupId = group;
    return { status: 200, body: message(`Customer ${ccid} moved to ${group} for client ${clientId}.`) };
  },
};

export const relayBehaviour: ApiBehaviour = {
  name: "relay-cdm",
  errorBody: (_status, messages) => message(messages.join("; ")),
  authenticate: (request, pathParams, state) => {
    const key = request.headers[apiKeyHeader];
    if (!key) return { refused: `Unauthorized: the ${apiKeyHeader} header is missing` };
    const accepted = state.relayCdm.clients[pathParams.client_id ?? ""]?.apiKeys ?? [];
    if (accepted.length && !accepted.includes(key))
      return { refused: `Unauthorized: this API key may not act for client ${pathParams.client_id}` };
    return { tenant: pathParams.client_id ?? "" };
  },
  handlers: relayHandlers,
};
