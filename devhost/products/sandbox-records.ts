// What the sandboxed products hold while `npm start` runs: PSA tickets, notes and agent records, per org, in memory.

export interface SandboxTicket {
  id: string;
  org_id: string;
  title: string;
  description: string;
  priority: string;
  status: "open";
  client_id: string | null;
  contact_email: string | null;
  tags: string[];
  assignee_email: string | null;
  queue: string | null;
  note_count: number;
  created_at: string;
  updated_at: string;
}

export interface SandboxPsaAgent {
  portal_user_id: string;
  org_id: string;
  email: string;
  firstName: string;
  lastName: string;
  role: string;
  active: boolean;
  updated_at: string;
}

function inOrg<T>(byOrg: Map<string, Map<string, T>>, orgId: string): Map<string, T> {
  let records = byOrg.get(orgId);
  if (!records) byOrg.set(orgId, (records = new Map()));
  return records;
}

export class SandboxRecords {
  private counter = 1000;
  private readonly tickets = new Map<string, Map<string, SandboxTicket>>();
  private readonly psaAgents = new Map<string, Map<string, SandboxPsaAgent>>();

  /** Ids look like a product's (`T-1001`, `N-1002`), unique across products and orgs. */
  nextId(prefix: string): string {
    this.counter += 1;
    return `${prefix}-${this.counter}`;
  }

  ticket(orgId: string, id: string): SandboxTicket | undefined {
    return inOrg(this.tickets, orgId).get(id);
  }

  saveTicket(ticket: SandboxTicket): void {
    inOrg(this.tickets, ticket.org_id).set(ticket.id, ticket);
  }

  psaAgent(orgId: string, id: string): SandboxPsaAgent | undefined {
    return inOrg(this.psaAgents, orgId).get(id);
  }

  savePsaAgent(agent: SandboxPsaAgent): void {
    inOrg(this.psaAgents, agent.org_id).set(agent.portal_user_id, agent);
  }
}
