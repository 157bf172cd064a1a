/**
 * Checks, before anything is built, that a folder the server writes to (`DATA_DIR`, or the
 * folder of a SQLite file) can be created and written, and that no file Gatehouse reads there is
 * something other than a file.
 *
 * The checks run in a child process with a deadline: on a stale network mount (or with a FIFO
 * where a file should be) the system calls block for ever, and a process with a thread blocked
 * in one cannot even exit (libuv joins its thread pool at exit). The child is killed instead, and
 * the start ends with one line.
 *
 * @module
 */
import { spawn } from 'node:child_process'
import { StartupError } from './startup-error.js'

/** Longest the checks of one folder may take, in seconds. */
export const FOLDER_CHECK_TIMEOUT = 5 // seconds

/** The probe file written (then removed) to show that the folder is writable. */
export const WRITE_PROBE = '.gatehouse-write-check'

/** One folder to check, named by the setting it comes from. */
export interface FolderCheck {
  readonly setting: string
  readonly dir: string
  /** Names in the folder that Gatehouse reads or writes: each must be a file if it exists. */
  readonly files: readonly string[]
}

/** Runs in the child: prints one JSON line, `{}` when every check passed. */
const CHECK_SCRIPT = `
const fs = require('node:fs'), path = require('node:path')
const [dir, probe, ...files] = process.argv.slice(1)
const fail = (step, error, file) => {
  process.stdout.write(JSON.stringify({ step, file, code: error && error.code, message: error && error.message }))
  process.exit(0)
}
try { fs.mkdirSync(dir, { recursive: true }) } catch (error) { fail('create', error) }
for (const name of files) {
  const file = path.join(dir, name)
  let stat
  try { stat = fs.lstatSync(file) } catch (error) { if (error.code !== 'ENOENT') fail('read', error, file); continue }
  if (!stat.isFile() && !stat.isSymbolicLink()) fail('type', undefined, file)
}
try {
  fs.writeFileSync(path.join(dir, probe), String(process.pid))
  fs.rmSync(path.join(dir, probe), { force: true })
} catch (error) { fail('write', error) }
process.stdout.write('{}')
`

/**
 * @throws StartupError naming `check.setting` and what to do.
 * @example
 * await assertWritableFolder({ setting: 'DATA_DIR', dir: config.dataDir, files: ['auth.db'] })
 */
export async function assertWritableFolder(
  check: FolderCheck,
  timeout: number = FOLDER_CHECK_TIMEOUT,
): Promise<void> {
  const { setting, dir } = check
  const fix = `set ${setting} to a folder this user can create and write`
  const result = await runCheck([dir, WRITE_PROBE, ...check.files], timeout)
  if (result === 'timeout')
    throw new StartupError(
      `${setting}: the folder ${dir} did not answer within ${timeout} s (a stale network mount, or a FIFO in its place?); set ${setting} to a local folder`,
    )
  const reason = reasonOf(result.code, result.message)
  switch (result.step) {
    case undefined:
      return
    case 'create':
      throw new StartupError(`${setting}: cannot create the folder ${dir} (${reason}); ${fix}`)
    case 'read':
      throw new StartupError(`${setting}: cannot read ${result.file} (${reason}); ${fix}`)
    case 'type':
      throw new StartupError(
        `${setting}: ${result.file} is not a regular file; remove it, or ${fix}`,
      )
    default:
      throw new StartupError(`${setting}: the folder ${dir} is not writable (${reason}); ${fix}`)
  }
}

interface CheckResult {
  readonly step?: 'create' | 'read' | 'type' | 'write'
  readonly file?: string
  readonly code?: string
  readonly message?: string
}

function runCheck(args: string[], timeout: number): Promise<CheckResult | 'timeout'> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', CHECK_SCRIPT, ...args], {
      stdio: ['ignore', 'pipe', 'ignore'],
    })
    let output = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk
    })
    const timer = setTimeout(() => {
      // A child blocked in the kernel dies when the call returns; nobody waits for it.
      child.kill('SIGKILL')
      child.stdout.destroy()
      child.unref()
      resolve('timeout')
    }, timeout * 1000)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', () => {
      clearTimeout(timer)
      try {
        resolve(JSON.parse(output) as CheckResult)
      } catch {
        reject(new Error(`the folder check ended without a result: ${output}`))
      }
    })
  })
}

function reasonOf(code: string | undefined, message: string | undefined): string {
  const known: Record<string, string> = {
    ENOTDIR: 'ENOTDIR: a part of the path is a file, not a folder',
    EACCES: 'EACCES: permission denied',
    EPERM: 'EPERM: operation not permitted',
    EROFS: 'EROFS: read-only file system',
    EEXIST: 'EEXIST: a file of that name exists',
    ENOSPC: 'ENOSPC: no space left on the device',
  }
  return (code && known[code]) ?? message ?? 'unknown error'
}
