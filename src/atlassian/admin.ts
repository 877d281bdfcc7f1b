import type { AtlassianConfig } from '../config';
import { AtlassianHttpError, atlassianMessage } from './http';
import type { SitePacer } from './pacing';

/**
 * The organization Admin API (api.atlassian.com/admin), Bearer-authenticated with an API key. jira.js covers the
 * site APIs only, so this is a small typed client of the two reads the sync needs.
 */

/** One managed account, as GET /admin/v1/orgs/{orgId}/users lists it. */
export interface ManagedAccount {
  account_id: string;
  account_type: 'atlassian' | 'app' | 'customer' | (string & {});
  account_status: 'active' | 'inactive' | 'closed' | (string & {});
  name: string;
  picture: string;
  email?: string;
  access_billable?: boolean;
  last_active?: string;
  product_access?: { key: string; name: string; url?: string; last_active?: string }[];
  links?: { self: string | null };
}

export interface ManagedAccountsPage {
  data: ManagedAccount[];
  links: { self?: string | null; prev?: string | null; next?: string | null };
  meta?: { total?: number };
}

export interface OrganizationResponse {
  data: { id: string; type: 'orgs'; attributes: { name: string } };
}

const ADMIN = 'api.atlassian.com';

export class AdminClient {
  constructor(
    private readonly admin: NonNullable<AtlassianConfig['admin']>,
    private readonly pacer: SitePacer,
  ) {}

  get orgId(): string {
    return this.admin.orgId;
  }

  organization(): Promise<OrganizationResponse> {
    return this.get(`/admin/v1/orgs/${encodeURIComponent(this.admin.orgId)}`, 'the organization');
  }

  /** Every managed account, following the cursor (links.next) page by page. */
  async *managedAccounts(): AsyncGenerator<ManagedAccount[]> {
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?cursor=${encodeURIComponent(cursor)}` : '';
      const page: ManagedAccountsPage = await this.get(
        `/admin/v1/orgs/${encodeURIComponent(this.admin.orgId)}/users${query}`,
        "the organization's managed accounts",
      );
      yield page.data;
      cursor = page.links.next ?? null;
    } while (cursor);
  }

  private get<T>(path: string, what: string): Promise<T> {
    return this.pacer.call(ADMIN, what, async () => {
      const response = await fetch(`${this.admin.baseUrl.replace(/\/+$/, '')}${path}`, {
        headers: { Authorization: `Bearer ${this.admin.apiKey}`, Accept: 'application/json' },
        signal: AbortSignal.timeout(30_000),
      });
      const text = await response.text();
      const body = text ? (JSON.parse(text) as unknown) : null;
      if (!response.ok) {
        throw new AtlassianHttpError(response.status, response.headers, atlassianMessage(body) ?? response.statusText);
      }
      return body as T;
    });
  }
}
