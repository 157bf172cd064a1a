/**
 * Every relative link in README.md and docs/*.md points at a file that exists and, with a
 * `#fragment`, at a heading of that file (GitHub's anchors), so moving a section between pages
 * cannot leave a link behind it; and every repository path the pages name in code
 * (`src/main/run.ts`) exists, so a renamed file cannot leave its description behind.
 */
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = path.resolve(import.meta.dirname, '../..')
const PAGES = [
  'README.md',
  ...fs
    .readdirSync(path.join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
]

/** The Markdown outside fenced code blocks and inline code spans, where links are links. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '')
}

/** `[text](target)` and `![alt](target)` targets, without a title. */
function linkTargets(markdown: string): string[] {
  return [...prose(markdown).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map(
    (match) => match[1] ?? '',
  )
}

/** GitHub's anchor for each heading: lower case, punctuation dropped, spaces to hyphens, -1, -2 for repeats. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>()
  const seen = new Map<string, number>()
  for (const match of markdown
    .replace(/^```[\s\S]*?^```/gm, '')
    .matchAll(/^#{1,6} +(.+?) *#* *$/gm)) {
    const base = (match[1] ?? '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M} _-]/gu, '')
      .replace(/ /g, '-')
    const count = seen.get(base) ?? 0
    seen.set(base, count + 1)
    anchors.add(count === 0 ? base : `${base}-${count}`)
  }
  return anchors
}

const links = PAGES.flatMap((page) =>
  linkTargets(fs.readFileSync(path.join(ROOT, page), 'utf8'))
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target))
    .map((target) => [page, target] as const),
)

describe('links between the docs', () => {
  it('finds relative links in README.md and docs/', () => {
    expect(links.length).toBeGreaterThan(0)
  })

  it.each(links)('%s → %s resolves', (page, target) => {
    const [file = '', fragment] = target.split('#')
    const resolved =
      file === '' ? path.join(ROOT, page) : path.resolve(ROOT, path.dirname(page), decodeURI(file))
    expect(fs.existsSync(resolved), `${page} links to ${file}, which does not exist`).toBe(true)
    if (fragment === undefined) return
    const anchors = headingAnchors(fs.readFileSync(resolved, 'utf8'))
    expect(
      [...anchors],
      `${page} links to #${fragment}, which is no heading of ${file || page}`,
    ).toContain(fragment)
  })
})

/** Paths such as `src/config/` or `test/browser/demo-app.test.ts` named in inline code. */
const namedPaths = PAGES.flatMap((page) =>
  [
    ...fs
      .readFileSync(path.join(ROOT, page), 'utf8')
      .matchAll(/`((?:src|packages|test|test-d|scripts|bench|docs|bin)\/[\w./-]*)`/g),
  ].map((match) => [page, match[1] ?? ''] as const),
)

describe('paths named in the docs', () => {
  it('finds some', () => {
    expect(namedPaths.length).toBeGreaterThan(0)
  })

  it.each(namedPaths)('%s names %s, which exists', (_page, named) => {
    expect(fs.existsSync(path.join(ROOT, named))).toBe(true)
  })
})

describe('the heading anchors', () => {
  it('follow GitHub: punctuation dropped, spaces to hyphens, repeats numbered', () => {
    const anchors = headingAnchors(
      '# Health endpoints (both servers)\n## `req.gatehouse`\n## A\n## A\n',
    )
    expect([...anchors]).toEqual(['health-endpoints-both-servers', 'reqgatehouse', 'a', 'a-1'])
  })
})
