/**
 * `REDIS_URL` read as one Redis or as a Redis Cluster. One Redis (with or without replicas) is a
 * `redis://` or `rediss://` URL, as ioredis takes it. A cluster is
 * `redis+cluster://[user:password@]host:port[,host:port…]` (`rediss+cluster://` for TLS): the
 * nodes listed are only seeds, the client learns the others from them, so one reachable seed is
 * enough to start, and listing every primary lets a start survive any one of them being down.
 *
 * @module
 */

/** A cluster node to ask for the cluster's layout. */
export interface RedisSeed {
  readonly host: string
  readonly port: number
}

/** What `REDIS_URL` names. */
export type RedisTarget =
  | { readonly kind: 'single'; readonly url: string }
  | {
      readonly kind: 'cluster'
      readonly seeds: readonly RedisSeed[]
      readonly username: string | undefined
      readonly password: string | undefined
      readonly tls: boolean
    }

/** The one-line explanation of a bad `REDIS_URL`, as the settings check prints it. */
export const REDIS_URL_EXPECTED =
  'must be a redis:// URL, or redis+cluster://host:port,host:port for a Redis Cluster'

const SINGLE = /^rediss?:\/\/[^\s]+$/
const CLUSTER = /^(rediss?)\+cluster:\/\/(?:([^@/\s]*)@)?([^@/\s]+?)\/?$/
const SEED = /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):(\d{1,5})$/

/**
 * @param url The value of `REDIS_URL`.
 * @returns What it names, or `undefined` when it is neither form (see `REDIS_URL_EXPECTED`).
 * @example
 * parseRedisUrl('redis+cluster://10.0.0.1:7001,10.0.0.2:7001')
 * // { kind: 'cluster', seeds: [{ host: '10.0.0.1', port: 7001 }, …], tls: false, … }
 */
export function parseRedisUrl(url: string): RedisTarget | undefined {
  const cluster = CLUSTER.exec(url)
  if (cluster) return parseCluster(cluster[1] === 'rediss', cluster[2], cluster[3] ?? '')
  if (!SINGLE.test(url) || !URL.canParse(url)) return undefined
  return { kind: 'single', url }
}

function parseCluster(
  tls: boolean,
  userInfo: string | undefined,
  hosts: string,
): RedisTarget | undefined {
  const seeds: RedisSeed[] = []
  for (const seed of hosts.split(',')) {
    const match = SEED.exec(seed)
    const port = Number(match?.[2])
    if (!match?.[1] || port < 1 || port > 65535) return undefined
    seeds.push({ host: match[1].replace(/^\[(.*)\]$/, '$1'), port })
  }
  try {
    const [username, password] = splitUserInfo(userInfo)
    return { kind: 'cluster', seeds, username, password, tls }
  } catch {
    return undefined // a malformed %-escape
  }
}

/** `user:password`, `:password` or `user`, percent-decoded as in any URL. */
function splitUserInfo(userInfo: string | undefined): [string | undefined, string | undefined] {
  if (!userInfo) return [undefined, undefined]
  const colon = userInfo.indexOf(':')
  const decode = (text: string) => (text === '' ? undefined : decodeURIComponent(text))
  if (colon < 0) return [decode(userInfo), undefined]
  return [decode(userInfo.slice(0, colon)), decode(userInfo.slice(colon + 1))]
}
